# language: vi
Tính năng: Kiểm soát, công bố, công khai thủ tục hành chính khi có văn bản mới
  Khi bộ, ngành Trung ương ban hành văn bản quy định TTHC mới, sửa đổi, bổ sung hoặc bãi bỏ, đơn vị chủ trì khởi động
  nhiệm vụ ngay trong ngày (nhiệm vụ "khi phát sinh" của kế hoạch, kỳ là ngày có văn bản): các phòng kiểm tra TTHC
  thuộc lĩnh vực mình, đơn vị chủ trì dự thảo Quyết định công bố, Giám đốc Sở ký duyệt hoặc trả lại, rồi công bố,
  cập nhật CSDL quốc gia về TTHC, Cổng Dịch vụ công và niêm yết tại Bộ phận một cửa. Kế hoạch không ghi số ngày thì
  hạn là 10 ngày làm việc kể từ ngày có văn bản (không tính thứ Bảy, Chủ nhật, ngày lễ, Tết); nhắc trước 5 ngày làm
  việc, quá hạn thì Giám đốc Sở được báo để chỉ đạo.
  Huế giao Văn phòng Sở (HUE-TTHC-05, 000_e9e08f42d66fca15.txt:105); Thanh Hóa giao Văn phòng Sở "ngay sau khi có
  quyết định công bố của các bộ ngành, Trung ương" (THA-TTHC-02, 004_d81a6c3c1d17088b.txt:492).

  Kịch bản: Văn phòng Sở Huế nhận văn bản trước Tết, bị trả lại một lần, công bố đúng hạn
    Cho Sở Y tế của kế hoạch "hue"
    Và đồng hồ đang là 01/02/2027 08:30
    Khi chuyên viên Văn phòng Sở khởi động nhiệm vụ "HUE-TTHC-05" ngay khi nhận văn bản mới
    Thì Văn phòng Sở có việc "Cập nhật, công khai TTHC ngày 01/02/2027" hạn 22/02/2027
    Và nhiệm vụ ở trạng thái "Trong hạn"
    Và chuyên viên Văn phòng Sở có việc "Lập danh mục TTHC công bố mới, sửa đổi, bãi bỏ"
    Và chuyên viên Thanh tra Sở không thấy việc "Kiểm tra TTHC thuộc lĩnh vực của đơn vị"
    Khi chuyên viên Văn phòng Sở hoàn thành việc "Lập danh mục TTHC công bố mới, sửa đổi, bãi bỏ" với:
      | trường                                        | giá trị                                                                                          |
      | Căn cứ văn bản                                | Quyết định số 215/QĐ-BYT ngày 25/01/2027 của Bộ Y tế công bố TTHC lĩnh vực khám bệnh, chữa bệnh |
      | Ngày văn bản có hiệu lực                      | 01/03/2027                                                                                       |
      | Danh sách TTHC ban hành mới                   | Cấp giấy phép hoạt động đối với phòng khám đa khoa                                               |
      | Danh sách TTHC sửa đổi, bổ sung, thay thế     | Cấp lại giấy phép hành nghề khám bệnh, chữa bệnh; Điều chỉnh giấy phép hoạt động                 |
      | Danh sách TTHC bãi bỏ                         | Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh                                                     |
      | Tổng số TTHC cần công bố                      | 4                                                                                                |
      | Hạn các đơn vị phối hợp gửi kết quả kiểm tra  | 03/02/2027                                                                                       |
    Thì mỗi đơn vị phối hợp chỉ thấy việc "Kiểm tra TTHC thuộc lĩnh vực của đơn vị" của chính mình
    Và việc "Kiểm tra TTHC thuộc lĩnh vực của đơn vị" của Phòng Nghiệp vụ Y hạn 03/02/2027
    Và chuyên viên Văn phòng Sở không thấy việc "Kiểm tra TTHC thuộc lĩnh vực của đơn vị"
    Và Giám đốc Sở không thấy việc "Kiểm tra TTHC thuộc lĩnh vực của đơn vị"
    Khi chuyên viên Phòng Nghiệp vụ Y hoàn thành việc "Kiểm tra TTHC thuộc lĩnh vực của đơn vị" với:
      | trường                                        | giá trị                                                                          |
      | Kết quả kiểm tra                              | Đề nghị điều chỉnh, bổ sung                                                      |
      | TTHC thuộc lĩnh vực của đơn vị đã kiểm tra    | Cấp giấy phép hoạt động đối với phòng khám đa khoa                               |
      | Ý kiến, đề nghị điều chỉnh                    | Thời hạn cấp giấy phép hoạt động là 45 ngày, không phải 30 ngày như dự thảo danh mục |
    Thì chuyên viên Văn phòng Sở không thấy việc "Dự thảo Quyết định công bố TTHC"
    Khi các đơn vị phối hợp còn lại hoàn thành việc "Kiểm tra TTHC thuộc lĩnh vực của đơn vị"
    Thì chuyên viên Văn phòng Sở có việc "Dự thảo Quyết định công bố TTHC"
    Khi chuyên viên Văn phòng Sở hoàn thành việc "Dự thảo Quyết định công bố TTHC" với:
      | trường                           | giá trị                                                                        |
      | Số TTHC trong dự thảo Quyết định | 4                                                                              |
      | Nội dung chính của dự thảo       | 01 TTHC mới, 02 TTHC sửa đổi, 01 TTHC bãi bỏ; thời hạn cấp giấy phép 45 ngày   |
    Và Giám đốc Sở trả lại việc "Xem xét, ký duyệt Quyết định công bố" với ý kiến "Bổ sung quy trình nội bộ, quy trình điện tử của từng thủ tục"
    Thì Giám đốc Sở không thấy việc "Xem xét, ký duyệt Quyết định công bố"
    Và chuyên viên Văn phòng Sở có việc "Dự thảo Quyết định công bố TTHC"
    Khi chuyên viên Văn phòng Sở hoàn thành việc "Dự thảo Quyết định công bố TTHC" với:
      | trường                                                | giá trị                                                  |
      | Số TTHC trong dự thảo Quyết định                      | 4                                                        |
      | Nội dung chính của dự thảo                            | 01 TTHC mới, 02 TTHC sửa đổi, 01 TTHC bãi bỏ             |
      | Nội dung đã chỉnh sửa theo ý kiến Lãnh đạo Sở (nếu có) | Đã bổ sung quy trình nội bộ, quy trình điện tử 04 thủ tục |
    Và Giám đốc Sở phê duyệt việc "Xem xét, ký duyệt Quyết định công bố"
    Thì chuyên viên Văn phòng Sở có việc "Công bố, công khai TTHC"
    Khi chuyên viên Văn phòng Sở hoàn thành việc "Công bố, công khai TTHC" lúc 18/02/2027 15:00 với:
      | trường                                                     | giá trị      |
      | Số, ký hiệu Quyết định công bố                             | 312/QĐ-UBND  |
      | Ngày công bố                                               | 18/02/2027   |
      | Đã cập nhật, công khai trên Cơ sở dữ liệu quốc gia về TTHC | có           |
      | Đã cập nhật trên Cổng Dịch vụ công (quốc gia, tỉnh)        | có           |
      | Đã niêm yết công khai tại Bộ phận một cửa                  | có           |
    Thì nhiệm vụ đã kết thúc
    Và nhiệm vụ ở trạng thái "Hoàn thành đúng hạn"
    Và TTHC đã được công bố theo Quyết định "312/QĐ-UBND" trên CSDL quốc gia về TTHC, Cổng Dịch vụ công và niêm yết tại Bộ phận một cửa
    Và lịch sử nhiệm vụ có sự kiện "return" về "Bổ sung quy trình nội bộ"
    Và Giám đốc Sở không thấy việc "Chỉ đạo xử lý việc công bố TTHC quá hạn"

  Kịch bản: Chỉ đơn vị chủ trì của kế hoạch được khởi động nhiệm vụ
    Cho Sở Y tế của kế hoạch "hue"
    Và đồng hồ đang là 07/12/2026 10:00
    Khi chuyên viên Thanh tra Sở thử khởi động nhiệm vụ "HUE-TTHC-05" cho đơn vị mình
    Thì bị từ chối với thông báo "Nhiệm vụ HUE-TTHC-05 do Văn phòng Sở chủ trì, không phải Thanh tra Sở"
    Và chưa có nhiệm vụ "Cập nhật, công khai TTHC ngày 07/12/2026"

  Khung kịch bản: Hạn công bố tính 10 ngày làm việc kể từ ngày có văn bản, không tính ngày nghỉ, lễ, Tết
    Cho Sở Y tế của kế hoạch "hue"
    Và đồng hồ đang là <ngày> 09:00
    Khi chuyên viên Văn phòng Sở khởi động nhiệm vụ "HUE-TTHC-05" ngay khi nhận văn bản mới
    Thì Văn phòng Sở có việc "Cập nhật, công khai TTHC ngày <ngày>" hạn <hạn>
    Và hệ thống nhắc hạn lúc <nhắc_hạn> 08:00

    Dữ liệu:
      | ngày       | hạn        | nhắc_hạn   | ghi_chú                                                    |
      | 03/12/2026 | 17/12/2026 | 10/12/2026 | hai tuần làm việc                                          |
      | 05/12/2026 | 18/12/2026 | 11/12/2026 | văn bản nhận ngày thứ Bảy: tính từ thứ Hai 07/12           |
      | 21/12/2026 | 05/01/2027 | 28/12/2026 | không tính Tết Dương lịch 01/01/2027                        |
      | 01/02/2027 | 22/02/2027 | 15/02/2027 | không tính 7 ngày nghỉ Tết Nguyên đán 04/02 - 10/02/2027    |

  Kịch bản: Thanh Hóa công bố chậm: quá hạn thì Giám đốc Sở chỉ đạo, nhiệm vụ hoàn thành quá hạn
    Cho Sở Y tế của kế hoạch "thanh-hoa"
    Và đồng hồ đang là 03/12/2026 14:00
    Khi chuyên viên Văn phòng Sở khởi động nhiệm vụ "THA-TTHC-02" ngay khi nhận văn bản mới
    Thì Văn phòng Sở có việc "Tham mưu công bố TTHC sửa đổi, bổ sung, thay thế, bãi bỏ ngày 03/12/2026" hạn 17/12/2026
    Khi chuyên viên Văn phòng Sở hoàn thành việc "Lập danh mục TTHC công bố mới, sửa đổi, bãi bỏ" với:
      | trường                                        | giá trị                                                                          |
      | Căn cứ văn bản                                | Quyết định số 4321/QĐ-BYT ngày 30/11/2026 của Bộ Y tế công bố TTHC lĩnh vực dược |
      | Danh sách TTHC sửa đổi, bổ sung, thay thế     | Cấp giấy chứng nhận đủ điều kiện kinh doanh dược                                 |
      | Tổng số TTHC cần công bố                      | 1                                                                                |
      | Hạn các đơn vị phối hợp gửi kết quả kiểm tra  | 09/12/2026                                                                       |
    Và các đơn vị phối hợp hoàn thành việc "Kiểm tra TTHC thuộc lĩnh vực của đơn vị"
    Và chuyên viên Văn phòng Sở hoàn thành việc "Dự thảo Quyết định công bố TTHC" lúc 09/12/2026 16:00 với:
      | trường                           | giá trị                                              |
      | Số TTHC trong dự thảo Quyết định | 1                                                    |
      | Nội dung chính của dự thảo       | 01 TTHC lĩnh vực dược được sửa đổi thành phần hồ sơ  |
    Và đồng hồ đến 10/12/2026 08:30
    Thì lịch sử nhiệm vụ có sự kiện "timer_fired" về "Nhắc hạn trước 5 ngày làm việc"
    Và Giám đốc Sở có việc "Xem xét, ký duyệt Quyết định công bố"
    Và Giám đốc Sở không thấy việc "Chỉ đạo xử lý việc công bố TTHC quá hạn"
    Khi Giám đốc Sở phê duyệt việc "Xem xét, ký duyệt Quyết định công bố"
    Và đồng hồ đến 17/12/2026 23:00
    Thì nhiệm vụ ở trạng thái "Trong hạn"
    Và Giám đốc Sở không thấy việc "Chỉ đạo xử lý việc công bố TTHC quá hạn"
    Khi đồng hồ đến 18/12/2026 08:00
    Thì nhiệm vụ ở trạng thái "Quá hạn"
    Và việc "Công bố, công khai TTHC" của Văn phòng Sở ở trạng thái "Quá hạn"
    Và Giám đốc Sở có việc "Chỉ đạo xử lý việc công bố TTHC quá hạn"
    Và việc "Chỉ đạo xử lý việc công bố TTHC quá hạn" của Ban Giám đốc Sở hạn 23/12/2026
    Khi Giám đốc Sở hoàn thành việc "Chỉ đạo xử lý việc công bố TTHC quá hạn" với:
      | trường         | giá trị                                                                                    |
      | Ý kiến chỉ đạo | Văn phòng Sở công bố, cập nhật CSDL quốc gia và Cổng Dịch vụ công chậm nhất ngày 21/12/2026 |
    Thì nhiệm vụ ở trạng thái "Quá hạn"
    Khi chuyên viên Văn phòng Sở thử hoàn thành việc "Công bố, công khai TTHC" với:
      | trường                                                     | giá trị      |
      | Số, ký hiệu Quyết định công bố                             | 2876/QĐ-UBND |
      | Ngày công bố                                               | 21/12/2026   |
      | Đã niêm yết công khai tại Bộ phận một cửa                  | không        |
    Thì biểu mẫu bị từ chối: "Nơi chưa cập nhật, niêm yết và lý do" — "Trường này là bắt buộc"
    Khi chuyên viên Văn phòng Sở hoàn thành việc "Công bố, công khai TTHC" lúc 21/12/2026 10:00 với:
      | trường                                                     | giá trị                                                               |
      | Số, ký hiệu Quyết định công bố                             | 2876/QĐ-UBND                                                          |
      | Ngày công bố                                               | 21/12/2026                                                            |
      | Đã niêm yết công khai tại Bộ phận một cửa                  | không                                                                 |
      | Nơi chưa cập nhật, niêm yết và lý do                       | Bộ phận một cửa tại Trung tâm Phục vụ hành chính công niêm yết ngày 22/12 |
    Thì nhiệm vụ đã kết thúc
    Và nhiệm vụ ở trạng thái "Hoàn thành quá hạn"
    Và việc "Công bố, công khai TTHC" của Văn phòng Sở ở trạng thái "Hoàn thành quá hạn"
    Và TTHC đã được công bố theo Quyết định "2876/QĐ-UBND", chưa niêm yết tại Bộ phận một cửa vì "Bộ phận một cửa tại Trung tâm Phục vụ hành chính công niêm yết ngày 22/12"
    Và lịch sử nhiệm vụ có sự kiện "complete" về "Chỉ đạo xử lý việc công bố TTHC quá hạn"
