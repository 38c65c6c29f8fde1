# language: vi
Tính năng: Tự đánh giá, chấm điểm Chỉ số cải cách hành chính hằng năm
  Bộ lập lịch mở hồ sơ tự đánh giá của năm vào ngày 01/01 cho đơn vị đầu mối. Các phòng phụ trách tiêu chí gửi tài
  liệu kiểm chứng (tệp PDF có ký đóng dấu hoặc đường link bài báo, video...) theo ba đợt, trước 30/6, 30/9 và 15/11;
  đơn vị đầu mối rà soát từng đợt và đề nghị bổ sung tài liệu còn thiếu; hết các đợt thì tự chấm điểm (tiêu chí chưa
  có tài liệu kiểm chứng phải giải trình), Giám đốc Sở phê duyệt hoặc trả lại, đơn vị đầu mối gửi hồ sơ thẩm định
  trước 15/12 và xuất bảng tự chấm điểm kèm danh sách tài liệu kiểm chứng.
  Mỗi tiêu chí thuộc một chức năng (đầu mối CCHC, pháp chế, kiểm soát TTHC, tổ chức - công vụ, tài chính...); đơn vị
  phụ trách là đơn vị giữ chức năng đó trong kế hoạch của từng tỉnh.
  Huế: HUE-CS-01, Văn phòng Sở (000_e9e08f42d66fca15.txt:509); Quảng Ngãi: QNG-CS-01, Phòng Tổ chức - Cán bộ
  (001_07b90c17cd1837c6.txt:81); Đồng Nai 2021-2030: DNA-CS-01, Văn phòng Sở (003_b5337e1b8adadf7a.txt:961).

  Kịch bản: Văn phòng Sở Huế chạy nhanh năm 2027: ba đợt tài liệu kiểm chứng, tự chấm điểm, trả lại một lần, gửi thẩm định
    Cho Sở Y tế của kế hoạch "hue"
    Và đồng hồ đang là 31/12/2026 09:00
    Khi đồng hồ đến 31/12/2026 23:00
    Thì chưa có nhiệm vụ "Tự đánh giá, chấm điểm Chỉ số CCHC năm 2027"
    Khi đồng hồ đến 01/01/2027 00:05
    Thì nhiệm vụ "Tự đánh giá, chấm điểm Chỉ số CCHC năm 2027" được mở ngày 01/01/2027 cho đơn vị đầu mối Văn phòng Sở, hạn 15/12/2027
    Và nhiệm vụ ở trạng thái "Trong hạn"
    Và các đơn vị phụ trách tiêu chí cung cấp tài liệu kiểm chứng là Thanh tra Sở, Phòng Tổ chức cán bộ và Phòng Kế hoạch - Tài chính
    Và việc "Cung cấp tài liệu kiểm chứng theo đợt" của Thanh tra Sở hạn 30/06/2027
    Và việc "Cung cấp tài liệu kiểm chứng theo đợt" của Phòng Tổ chức cán bộ hạn 30/06/2027
    Và việc "Cung cấp tài liệu kiểm chứng theo đợt" của Phòng Kế hoạch - Tài chính hạn 30/06/2027
    Và chuyên viên Phòng Nghiệp vụ Y không thấy việc "Cung cấp tài liệu kiểm chứng theo đợt"
    Và chuyên viên Văn phòng Sở không thấy việc "Cung cấp tài liệu kiểm chứng theo đợt"
    # Đợt 1, trước 30/06
    Khi đồng hồ đến 15/03/2027 09:00
    Và chuyên viên Thanh tra Sở tải lên tệp "Danh mục văn bản QPPL tham mưu ban hành năm 2027.pdf" cho tiêu chí 2.1
    Và chuyên viên Thanh tra Sở gửi đường link "https://dichvucong.gov.vn/p/home/dvc-danh-sach-tthc.html?coquan=syt-hue" với tiêu đề "TTHC của Sở Y tế công khai trên Cổng Dịch vụ công quốc gia" cho tiêu chí 3.3
    Thì tiêu chí 2.1 có 1 tài liệu kiểm chứng
    Và tài liệu kiểm chứng "Danh mục văn bản QPPL tham mưu ban hành năm 2027.pdf" của tiêu chí 2.1 do Thanh tra Sở cung cấp trong đợt 1
    Và tài liệu kiểm chứng "https://dichvucong.gov.vn/p/home/dvc-danh-sach-tthc.html?coquan=syt-hue" của tiêu chí 3.3 do Thanh tra Sở cung cấp trong đợt 1
    Khi chuyên viên Thanh tra Sở thử tải lên tệp "Bảng theo dõi thi hành pháp luật.txt" cho tiêu chí 2.2
    Thì bị từ chối với thông báo "Không chấp nhận tệp 'Bảng theo dõi thi hành pháp luật.txt': chỉ nhận tệp PDF, DOCX, XLSX, PNG, JPEG"
    Và tiêu chí 2.2 có 0 tài liệu kiểm chứng
    Khi chuyên viên Phòng Kế hoạch - Tài chính thử tải lên tệp "Quy chế chi tiêu nội bộ năm 2027.pdf" cho tiêu chí 2.1
    Thì bị từ chối với thông báo "Chỉ đơn vị phụ trách tiêu chí 2.1"
    Khi chuyên viên Phòng Kế hoạch - Tài chính tải lên tệp "Quy chế chi tiêu nội bộ năm 2027.pdf" cho tiêu chí 6.1
    Và chuyên viên Thanh tra Sở hoàn thành việc "Cung cấp tài liệu kiểm chứng theo đợt" lúc 20/06/2027 10:00 với:
      | trường             | giá trị                                                                     |
      | Ghi chú của đơn vị | Đã gửi tài liệu tiêu chí 2.1 và 3.3; tài liệu tiêu chí 2.2 gửi trong đợt 2  |
    Và chuyên viên Phòng Kế hoạch - Tài chính hoàn thành việc "Cung cấp tài liệu kiểm chứng theo đợt" lúc 29/06/2027 16:00
    Thì chuyên viên Văn phòng Sở không thấy việc "Rà soát tài liệu kiểm chứng của đợt"
    Khi đồng hồ đến 01/07/2027 08:00
    Thì việc "Cung cấp tài liệu kiểm chứng theo đợt" của Phòng Tổ chức cán bộ ở trạng thái "Quá hạn"
    Và việc "Cung cấp tài liệu kiểm chứng theo đợt" của Thanh tra Sở ở trạng thái "Hoàn thành đúng hạn"
    Và nhiệm vụ ở trạng thái "Trong hạn"
    Khi chuyên viên Phòng Tổ chức cán bộ tải lên tệp "Quyết định sắp xếp tổ chức bộ máy.pdf" cho tiêu chí 4.1
    Và chuyên viên Phòng Tổ chức cán bộ hoàn thành việc "Cung cấp tài liệu kiểm chứng theo đợt" lúc 02/07/2027 09:00
    Thì việc "Cung cấp tài liệu kiểm chứng theo đợt" của Phòng Tổ chức cán bộ ở trạng thái "Hoàn thành quá hạn"
    Và tài liệu kiểm chứng "Quyết định sắp xếp tổ chức bộ máy.pdf" của tiêu chí 4.1 do Phòng Tổ chức cán bộ cung cấp trong đợt 1
    Và chuyên viên Văn phòng Sở có việc "Rà soát tài liệu kiểm chứng của đợt"
    Khi chuyên viên Văn phòng Sở hoàn thành việc "Rà soát tài liệu kiểm chứng của đợt" lúc 05/07/2027 10:00 với:
      | trường                                             | giá trị                                                                  |
      | Nhận xét về mức độ đầy đủ của tài liệu kiểm chứng  | 4 tiêu chí có tài liệu; thiếu theo dõi thi hành pháp luật và tuyển dụng  |
      | Tiêu chí đề nghị bổ sung tài liệu kiểm chứng       | 2.2; 5.2                                                                 |
    Thì hồ sơ ghi nhận đợt 1 đề nghị bổ sung tài liệu kiểm chứng cho tiêu chí 2.2, 5.2
    Và việc "Cung cấp tài liệu kiểm chứng theo đợt" của Phòng Tổ chức cán bộ hạn 30/09/2027
    # Đợt 2, trước 30/09: bổ sung theo đề nghị
    Khi đồng hồ đến 14/09/2027 09:00
    Và chuyên viên Thanh tra Sở gửi đường link "https://sytthuathienhue.gov.vn/bao-cao-theo-doi-thi-hanh-phap-luat-2027" với tiêu đề "Báo cáo theo dõi thi hành pháp luật năm 2027" cho tiêu chí 2.2
    Và chuyên viên Phòng Tổ chức cán bộ tải lên tệp "Kết quả tuyển dụng viên chức năm 2027.pdf" cho tiêu chí 5.2
    Và các đơn vị phối hợp hoàn thành việc "Cung cấp tài liệu kiểm chứng theo đợt"
    Và chuyên viên Văn phòng Sở hoàn thành việc "Rà soát tài liệu kiểm chứng của đợt" với:
      | trường                                             | giá trị                                  |
      | Nhận xét về mức độ đầy đủ của tài liệu kiểm chứng  | Đã bổ sung tài liệu tiêu chí 2.2 và 5.2  |
    Thì tài liệu kiểm chứng "Kết quả tuyển dụng viên chức năm 2027.pdf" của tiêu chí 5.2 do Phòng Tổ chức cán bộ cung cấp trong đợt 2
    Và việc "Cung cấp tài liệu kiểm chứng theo đợt" của Thanh tra Sở hạn 15/11/2027
    # Đợt 3, trước 15/11
    Khi đồng hồ đến 10/11/2027 09:00
    Và chuyên viên Văn phòng Sở tải lên tệp "Kế hoạch CCHC năm 2027.pdf" cho tiêu chí 1.1
    Và các đơn vị phối hợp hoàn thành việc "Cung cấp tài liệu kiểm chứng theo đợt"
    Và chuyên viên Văn phòng Sở hoàn thành việc "Rà soát tài liệu kiểm chứng của đợt" với:
      | trường                                             | giá trị                               |
      | Nhận xét về mức độ đầy đủ của tài liệu kiểm chứng  | Kết thúc thu thập, chuyển tự chấm điểm |
    Thì chuyên viên Văn phòng Sở có việc "Tự chấm điểm"
    Và tài liệu kiểm chứng "Kế hoạch CCHC năm 2027.pdf" của tiêu chí 1.1 do Văn phòng Sở cung cấp trong đợt 3
    # Tự chấm điểm, phê duyệt, gửi thẩm định
    Khi đồng hồ đến 22/11/2027 09:00
    Và chuyên viên Văn phòng Sở thử tự chấm điểm tối đa mọi tiêu chí mà không giải trình
    Thì chỉ các tiêu chí chưa có tài liệu kiểm chứng bị yêu cầu giải trình, trong đó có tiêu chí 3.5
    Và chuyên viên Văn phòng Sở có việc "Tự chấm điểm"
    Khi chuyên viên Văn phòng Sở tự chấm điểm tối đa mọi tiêu chí, giải trình "Tài liệu đang trình ký, bổ sung khi thẩm định" ở tiêu chí chưa có tài liệu kiểm chứng
    Thì tổng điểm tự chấm là 80
    Khi Giám đốc Sở trả lại việc "Xem xét, phê duyệt kết quả tự chấm điểm" với ý kiến "Tiêu chí 3.5 chưa có tài liệu kiểm chứng, không chấm điểm tối đa"
    Thì Giám đốc Sở không thấy việc "Xem xét, phê duyệt kết quả tự chấm điểm"
    Và chuyên viên Văn phòng Sở có việc "Tự chấm điểm"
    Khi chuyên viên Văn phòng Sở chấm lại tiêu chí 3.5 2,5 điểm, giải trình "Còn 02 TTHC chưa thực hiện liên thông"
    Và Giám đốc Sở phê duyệt việc "Xem xét, phê duyệt kết quả tự chấm điểm"
    Thì tổng điểm tự chấm là 79,5
    Khi chuyên viên Văn phòng Sở hoàn thành việc "Gửi hồ sơ tự đánh giá để thẩm định" lúc 06/12/2027 10:00 với:
      | trường                     | giá trị                        |
      | Số, ký hiệu công văn gửi   | 3456/SYT-VP                    |
      | Ngày gửi                   | 06/12/2027                     |
      | Cơ quan thẩm định          | Sở Nội vụ tỉnh Thừa Thiên Huế  |
    Thì nhiệm vụ đã kết thúc
    Và nhiệm vụ ở trạng thái "Hoàn thành đúng hạn"
    Và lịch sử nhiệm vụ có sự kiện "return" về "Tiêu chí 3.5 chưa có tài liệu kiểm chứng"
    Và Giám đốc Sở không thấy việc "Chỉ đạo xử lý hồ sơ tự đánh giá quá hạn"
    Khi chuyên viên Văn phòng Sở xuất hồ sơ tự đánh giá ra tệp Excel
    Thì bảng "Tự chấm điểm" có tiêu chí 2.1: tự chấm 3 điểm, 1 tài liệu kiểm chứng, đơn vị phụ trách Thanh tra Sở
    Và bảng "Tự chấm điểm" có tiêu chí 4.1: tự chấm 3 điểm, 1 tài liệu kiểm chứng, đơn vị phụ trách Phòng Tổ chức cán bộ
    Và bảng "Tự chấm điểm" có tiêu chí 3.5: tự chấm 2,5 điểm, 0 tài liệu kiểm chứng, đơn vị phụ trách Văn phòng Sở
    Và bảng "Tự chấm điểm" có giải trình "Còn 02 TTHC chưa thực hiện liên thông" ở tiêu chí 3.5
    Và bảng "Tự chấm điểm" có dòng tổng cộng: tối đa 80 điểm, tự chấm 79,5 điểm
    Và bảng "Tài liệu kiểm chứng" có 7 tài liệu, trong đó "Danh mục văn bản QPPL tham mưu ban hành năm 2027.pdf" của tiêu chí 2.1, Thanh tra Sở, đợt 1
    Và bảng "Tài liệu kiểm chứng" có 7 tài liệu, trong đó "https://dichvucong.gov.vn/p/home/dvc-danh-sach-tthc.html?coquan=syt-hue" của tiêu chí 3.3, Thanh tra Sở, đợt 1
    Và bảng "Tài liệu kiểm chứng" có 7 tài liệu, trong đó "Kết quả tuyển dụng viên chức năm 2027.pdf" của tiêu chí 5.2, Phòng Tổ chức cán bộ, đợt 2

  Khung kịch bản: Cùng tiêu chí 4.1, mỗi tỉnh giao cho đơn vị giữ chức năng tổ chức, công vụ trong kế hoạch của mình
    Cho Sở Y tế của kế hoạch "<kế_hoạch>"
    Và đồng hồ đang là 31/12/2026 23:00
    Khi đồng hồ đến 01/01/2027 00:05
    Thì nhiệm vụ "<nhiệm_vụ> năm 2027" được mở ngày 01/01/2027 cho đơn vị đầu mối <đầu_mối>, hạn 15/12/2027
    Và tiêu chí 4.1 do <phụ_trách> phụ trách
    Và tiêu chí 6.1 do <tài_chính> phụ trách
    Và các đơn vị phụ trách tiêu chí cung cấp tài liệu kiểm chứng là <cung_cấp_theo_đợt>
    Và chuyên viên <phụ_trách> <việc_theo_đợt> việc "Cung cấp tài liệu kiểm chứng theo đợt"
    Khi chuyên viên <phụ_trách> tải lên tệp "Đề án vị trí việc làm năm 2027.pdf" cho tiêu chí 4.1
    Thì tài liệu kiểm chứng "Đề án vị trí việc làm năm 2027.pdf" của tiêu chí 4.1 do <phụ_trách> cung cấp trong đợt 1
    Khi chuyên viên <tài_chính> thử tải lên tệp "Đề án vị trí việc làm năm 2027.pdf" cho tiêu chí 4.1
    Thì bị từ chối với thông báo "Chỉ đơn vị phụ trách tiêu chí 4.1"

    Dữ liệu:
      | kế_hoạch      | nhiệm_vụ                                                                           | đầu_mối                | phụ_trách              | tài_chính                  | cung_cấp_theo_đợt                                                   | việc_theo_đợt |
      | hue           | Tự đánh giá, chấm điểm Chỉ số CCHC                                                 | Văn phòng Sở           | Phòng Tổ chức cán bộ   | Phòng Kế hoạch - Tài chính | Thanh tra Sở, Phòng Tổ chức cán bộ và Phòng Kế hoạch - Tài chính    | có            |
      | dong-nai-2030 | Tự đánh giá Chỉ số CCHC của Sở Y tế                                                | Văn phòng Sở           | Văn phòng Sở           | Phòng Kế hoạch Tài chính   | Phòng Kế hoạch Tài chính                                            | không thấy    |
      | quang-ngai    | Tự đánh giá, chấm điểm Chỉ số CCHC (PAR INDEX), tổng hợp tài liệu kiểm chứng | Phòng Tổ chức - Cán bộ | Phòng Tổ chức - Cán bộ | Phòng Kế hoạch - Tài chính | Thanh tra Sở, Văn phòng Sở và Phòng Kế hoạch - Tài chính            | không thấy    |
