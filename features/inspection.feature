# language: vi
Tính năng: Kiểm tra công tác cải cách hành chính tại các đơn vị
  Bộ lập lịch mở đợt kiểm tra khi cửa sổ của kế hoạch mở: đơn vị chủ trì xây dựng kế hoạch, dự thảo Quyết định kiểm
  tra, Giám đốc Sở ký; mỗi đơn vị được kiểm tra gửi báo cáo tự kiểm tra (chỉ thấy việc của đơn vị mình); Đoàn kiểm
  tra làm việc tại đơn vị, dự thảo Kết luận, Giám đốc Sở ký hoặc trả lại; các đơn vị báo cáo kết quả khắc phục theo
  hạn ghi trong Kết luận; đơn vị chủ trì đánh giá và kết thúc hồ sơ. Nhắc trước 5 ngày làm việc; đến hạn mà hồ sơ
  chưa kết thúc thì Giám đốc Sở được báo để chỉ đạo.
  Huế: đợt kiểm tra cuối năm tại các phòng và đơn vị trực thuộc, Văn phòng Sở chủ trì, tháng 12, hạn 31/12
  (HUE-CD-03, 000_e9e08f42d66fca15.txt:508). Đồng Nai 2021-2030: kiểm tra định kỳ, Văn phòng Sở chủ trì, hạn 15/12
  (DNA-CD-05, 003_b5337e1b8adadf7a.txt:898).

  Kịch bản: Đợt kiểm tra cuối năm ở Huế, Kết luận bị trả lại một lần, mỗi đơn vị khắc phục theo hạn của Kết luận
    Cho Sở Y tế của kế hoạch "hue"
    Và đồng hồ đang là 01/12/2026 09:00
    Khi đồng hồ đến 01/12/2026 09:30
    Thì Văn phòng Sở có việc "Kiểm tra công tác CCHC tại các đơn vị năm 2026" hạn 31/12/2026
    Và nhiệm vụ ở trạng thái "Trong hạn"
    Và chuyên viên Văn phòng Sở có việc "Xây dựng kế hoạch, dự thảo Quyết định kiểm tra"
    Khi chuyên viên Văn phòng Sở hoàn thành việc "Xây dựng kế hoạch, dự thảo Quyết định kiểm tra" với:
      | trường                               | giá trị                                                                                    |
      | Tên kế hoạch, Quyết định kiểm tra    | Quyết định kiểm tra công tác cải cách hành chính năm 2026 tại các phòng, đơn vị trực thuộc |
      | Đơn vị được kiểm tra, lịch làm việc  | 14/12: các phòng chức năng; 15/12 - 16/12: các đơn vị trực thuộc                           |
      | Nội dung kiểm tra                    | Chỉ đạo, điều hành CCHC; cải cách TTHC, cơ chế một cửa; chính quyền số                     |
      | Thời gian kiểm tra: từ ngày          | 14/12/2026                                                                                 |
      | Thời gian kiểm tra: đến ngày         | 16/12/2026                                                                                 |
      | Thành phần Đoàn kiểm tra             | Phó Giám đốc Sở (Trưởng đoàn); Văn phòng Sở; Thanh tra Sở                                  |
      | Hạn đơn vị gửi báo cáo tự kiểm tra   | 10/12/2026                                                                                 |
    Và Giám đốc Sở phê duyệt việc "Xem xét, ký Quyết định kiểm tra"
    Thì mỗi đơn vị được kiểm tra chỉ thấy việc "Báo cáo tự kiểm tra công tác CCHC" của chính mình, 12 đơn vị
    Và việc "Báo cáo tự kiểm tra công tác CCHC" của Trung tâm Kiểm soát bệnh tật hạn 10/12/2026
    Và Giám đốc Sở không thấy việc "Báo cáo tự kiểm tra công tác CCHC"
    Và chuyên viên Văn phòng Sở không thấy việc "Báo cáo tự kiểm tra công tác CCHC"
    Khi chuyên viên Thanh tra Sở thử hoàn thành việc "Báo cáo tự kiểm tra công tác CCHC" của Trung tâm Kiểm soát bệnh tật
    Thì bị từ chối với thông báo "Bạn không có quyền thực hiện bước này"
    Khi chuyên viên Trung tâm Kiểm soát bệnh tật hoàn thành việc "Báo cáo tự kiểm tra công tác CCHC" lúc 09/12/2026 15:00 với:
      | trường                                           | giá trị                                                                   |
      | Kết quả tự kiểm tra, đánh giá                    | Thực hiện đầy đủ kế hoạch CCHC năm 2026; 100% TTHC được niêm yết công khai |
      | Số hồ sơ TTHC đã tiếp nhận, giải quyết trong kỳ  | 1250                                                                      |
      | Số hồ sơ TTHC giải quyết quá hạn                 | 3                                                                         |
      | Tồn tại, hạn chế và nguyên nhân                  | 03 hồ sơ cấp giấy chứng nhận tiêm chủng quá hạn do thiếu nhân lực         |
    Thì việc "Báo cáo tự kiểm tra công tác CCHC" của Trung tâm Kiểm soát bệnh tật ở trạng thái "Hoàn thành đúng hạn"
    Và chuyên viên Văn phòng Sở không thấy việc "Kiểm tra tại đơn vị, dự thảo Kết luận kiểm tra"
    Khi các đơn vị được kiểm tra còn lại hoàn thành việc "Báo cáo tự kiểm tra công tác CCHC"
    Thì chuyên viên Văn phòng Sở có việc "Kiểm tra tại đơn vị, dự thảo Kết luận kiểm tra"
    Khi chuyên viên Văn phòng Sở hoàn thành việc "Kiểm tra tại đơn vị, dự thảo Kết luận kiểm tra" lúc 17/12/2026 09:00 với:
      | trường                                                         | giá trị                                                                         |
      | Tên Kết luận kiểm tra                                          | Kết luận kiểm tra công tác cải cách hành chính năm 2026                         |
      | Số đơn vị đã kiểm tra                                          | 12                                                                              |
      | Kết quả kiểm tra: ưu điểm, tồn tại, hạn chế                    | Các đơn vị thực hiện tốt kế hoạch CCHC; còn hồ sơ TTHC giải quyết quá hạn        |
      | Kiến nghị, yêu cầu khắc phục                                   | Rà soát quy trình nội bộ; xin lỗi tổ chức, cá nhân có hồ sơ giải quyết quá hạn  |
      | Yêu cầu các đơn vị được kiểm tra khắc phục và báo cáo kết quả  | có                                                                              |
      | Hạn báo cáo kết quả khắc phục                                  | 24/12/2026                                                                      |
    Và Giám đốc Sở trả lại việc "Xem xét, ký Kết luận kiểm tra" với ý kiến "Nêu rõ trách nhiệm của Trung tâm Kiểm soát bệnh tật đối với 03 hồ sơ quá hạn"
    Thì chuyên viên Văn phòng Sở có việc "Kiểm tra tại đơn vị, dự thảo Kết luận kiểm tra"
    Và chuyên viên Văn phòng Sở thấy "Số lần đã trả lại" là "1" trong việc "Kiểm tra tại đơn vị, dự thảo Kết luận kiểm tra"
    Và chuyên viên Văn phòng Sở thấy "Ý kiến của Lãnh đạo Sở" là "Nêu rõ trách nhiệm của Trung tâm Kiểm soát bệnh tật đối với 03 hồ sơ quá hạn" trong việc "Kiểm tra tại đơn vị, dự thảo Kết luận kiểm tra"
    Và chuyên viên Trung tâm Kiểm soát bệnh tật không thấy việc "Báo cáo kết quả khắc phục sau kiểm tra"
    Khi chuyên viên Văn phòng Sở hoàn thành việc "Kiểm tra tại đơn vị, dự thảo Kết luận kiểm tra" lúc 18/12/2026 10:00 với:
      | trường                                                         | giá trị                                                                         |
      | Số đơn vị đã kiểm tra                                          | 12                                                                              |
      | Kết quả kiểm tra: ưu điểm, tồn tại, hạn chế                    | Các đơn vị thực hiện tốt kế hoạch CCHC; Trung tâm Kiểm soát bệnh tật có 03 hồ sơ quá hạn |
      | Kiến nghị, yêu cầu khắc phục                                   | Rà soát quy trình nội bộ; xin lỗi tổ chức, cá nhân có hồ sơ giải quyết quá hạn  |
      | Yêu cầu các đơn vị được kiểm tra khắc phục và báo cáo kết quả  | có                                                                              |
      | Hạn báo cáo kết quả khắc phục                                  | 24/12/2026                                                                      |
      | Nội dung đã chỉnh sửa theo ý kiến Lãnh đạo Sở (nếu có)         | Bổ sung trách nhiệm của Giám đốc Trung tâm Kiểm soát bệnh tật                    |
    Và Giám đốc Sở phê duyệt việc "Xem xét, ký Kết luận kiểm tra"
    Thì mỗi đơn vị được kiểm tra chỉ thấy việc "Báo cáo kết quả khắc phục sau kiểm tra" của chính mình, 12 đơn vị
    Và việc "Báo cáo kết quả khắc phục sau kiểm tra" của Trung tâm Kiểm soát bệnh tật hạn 24/12/2026
    Và việc "Báo cáo kết quả khắc phục sau kiểm tra" của Trung tâm Y tế huyện Phú Vang hạn 24/12/2026
    Khi chuyên viên Trung tâm Kiểm soát bệnh tật hoàn thành việc "Báo cáo kết quả khắc phục sau kiểm tra" lúc 23/12/2026 10:00 với:
      | trường                                                 | giá trị                                                               |
      | Tình trạng khắc phục                                   | Đã khắc phục xong                                                     |
      | Kết quả thực hiện các kiến nghị, biện pháp khắc phục   | Đã sửa quy trình nội bộ, gửi văn bản xin lỗi 03 tổ chức, cá nhân      |
    Và các đơn vị được kiểm tra còn lại, trừ Trung tâm Y tế huyện Phú Vang, hoàn thành việc "Báo cáo kết quả khắc phục sau kiểm tra"
    Và đồng hồ đến 25/12/2026 08:00
    Thì việc "Báo cáo kết quả khắc phục sau kiểm tra" của Trung tâm Y tế huyện Phú Vang ở trạng thái "Quá hạn"
    Và việc "Báo cáo kết quả khắc phục sau kiểm tra" của Trung tâm Kiểm soát bệnh tật ở trạng thái "Hoàn thành đúng hạn"
    Và nhiệm vụ ở trạng thái "Trong hạn"
    Và chuyên viên Văn phòng Sở không thấy việc "Đánh giá kết quả khắc phục, kết thúc hồ sơ kiểm tra"
    Khi chuyên viên Trung tâm Y tế huyện Phú Vang hoàn thành việc "Báo cáo kết quả khắc phục sau kiểm tra" với:
      | trường                                                 | giá trị                                                       |
      | Tình trạng khắc phục                                   | Đang khắc phục                                                |
      | Kết quả thực hiện các kiến nghị, biện pháp khắc phục   | Đã rà soát quy trình nội bộ tiếp nhận hồ sơ                   |
      | Nội dung chưa khắc phục, lý do và thời hạn hoàn thành  | Phần mềm một cửa chưa cập nhật quy trình mới; xong 15/01/2027 |
    Thì việc "Báo cáo kết quả khắc phục sau kiểm tra" của Trung tâm Y tế huyện Phú Vang ở trạng thái "Hoàn thành quá hạn"
    Và chuyên viên Văn phòng Sở có việc "Đánh giá kết quả khắc phục, kết thúc hồ sơ kiểm tra"
    Khi chuyên viên Văn phòng Sở hoàn thành việc "Đánh giá kết quả khắc phục, kết thúc hồ sơ kiểm tra" lúc 28/12/2026 10:00 với:
      | trường                                                           | giá trị                                                          |
      | Đánh giá kết quả khắc phục, kết quả đợt kiểm tra                 | 11/12 đơn vị đã khắc phục xong; Trung tâm Y tế huyện Phú Vang đang khắc phục |
      | Các đơn vị đã khắc phục đầy đủ các kiến nghị                     | không                                                            |
      | Kiến nghị tiếp theo (theo dõi, kiểm tra lại, xử lý trách nhiệm)  | Kiểm tra lại Trung tâm Y tế huyện Phú Vang trong quý I/2027      |
    Thì nhiệm vụ đã kết thúc
    Và nhiệm vụ ở trạng thái "Hoàn thành đúng hạn"
    Và hồ sơ ghi nhận đợt kiểm tra: Quyết định và Kết luận đã ban hành, 12 đơn vị báo cáo khắc phục
    Và lịch sử nhiệm vụ có sự kiện "return" về "Nêu rõ trách nhiệm của Trung tâm Kiểm soát bệnh tật"
    Và Giám đốc Sở không thấy việc "Chỉ đạo xử lý hồ sơ kiểm tra quá hạn"

  Kịch bản: Đồng Nai: đến 15/12 hồ sơ kiểm tra chưa kết thúc thì Giám đốc Sở chỉ đạo, hoàn thành quá hạn
    Cho Sở Y tế của kế hoạch "dong-nai-2030"
    Và đồng hồ đang là 01/12/2026 09:00
    Khi đồng hồ đến 01/12/2026 09:30
    Thì Văn phòng Sở có việc "Kiểm tra công tác CCHC định kỳ năm 2026" hạn 15/12/2026
    Khi chuyên viên Văn phòng Sở hoàn thành việc "Xây dựng kế hoạch, dự thảo Quyết định kiểm tra" với:
      | trường                               | giá trị                                                        |
      | Đơn vị được kiểm tra, lịch làm việc  | 09/12: Bệnh viện đa khoa Đồng Nai                              |
      | Nội dung kiểm tra                    | Giải quyết TTHC cho cá nhân, tổ chức; thanh tra công vụ        |
      | Thời gian kiểm tra: từ ngày          | 09/12/2026                                                     |
      | Thời gian kiểm tra: đến ngày         | 09/12/2026                                                     |
      | Hạn đơn vị gửi báo cáo tự kiểm tra   | 07/12/2026                                                     |
    Và Giám đốc Sở phê duyệt việc "Xem xét, ký Quyết định kiểm tra"
    Thì mỗi đơn vị được kiểm tra chỉ thấy việc "Báo cáo tự kiểm tra công tác CCHC" của chính mình, 1 đơn vị
    Và chuyên viên Phòng Nghiệp vụ Y không thấy việc "Báo cáo tự kiểm tra công tác CCHC"
    Khi đồng hồ đến 08/12/2026 08:30
    Thì lịch sử nhiệm vụ có sự kiện "timer_fired" về "Nhắc hạn trước 5 ngày làm việc"
    Và việc "Báo cáo tự kiểm tra công tác CCHC" của Bệnh viện đa khoa Đồng Nai ở trạng thái "Quá hạn"
    Và nhiệm vụ ở trạng thái "Trong hạn"
    Và Giám đốc Sở không thấy việc "Chỉ đạo xử lý hồ sơ kiểm tra quá hạn"
    Khi chuyên viên Bệnh viện đa khoa Đồng Nai hoàn thành việc "Báo cáo tự kiểm tra công tác CCHC"
    Và đồng hồ đến 16/12/2026 08:00
    Thì nhiệm vụ ở trạng thái "Quá hạn"
    Và việc "Kiểm tra tại đơn vị, dự thảo Kết luận kiểm tra" của Văn phòng Sở ở trạng thái "Quá hạn"
    Và Giám đốc Sở có việc "Chỉ đạo xử lý hồ sơ kiểm tra quá hạn"
    Và việc "Chỉ đạo xử lý hồ sơ kiểm tra quá hạn" của Ban Giám đốc Sở hạn 21/12/2026
    Khi chuyên viên Văn phòng Sở hoàn thành việc "Kiểm tra tại đơn vị, dự thảo Kết luận kiểm tra" với:
      | trường                                                         | giá trị                                                  |
      | Số đơn vị đã kiểm tra                                          | 1                                                        |
      | Kết quả kiểm tra: ưu điểm, tồn tại, hạn chế                    | Bệnh viện thực hiện tốt cơ chế một cửa, không có hồ sơ quá hạn |
      | Yêu cầu các đơn vị được kiểm tra khắc phục và báo cáo kết quả  | không                                                    |
      | Hạn báo cáo kết quả khắc phục                                  |                                                          |
    Và Giám đốc Sở phê duyệt việc "Xem xét, ký Kết luận kiểm tra"
    Thì chuyên viên Bệnh viện đa khoa Đồng Nai không thấy việc "Báo cáo kết quả khắc phục sau kiểm tra"
    Khi chuyên viên Văn phòng Sở hoàn thành việc "Đánh giá kết quả khắc phục, kết thúc hồ sơ kiểm tra"
    Thì nhiệm vụ đã kết thúc
    Và nhiệm vụ ở trạng thái "Hoàn thành quá hạn"
    Và việc "Kiểm tra tại đơn vị, dự thảo Kết luận kiểm tra" của Văn phòng Sở ở trạng thái "Hoàn thành quá hạn"
    Và Giám đốc Sở không thấy việc "Chỉ đạo xử lý hồ sơ kiểm tra quá hạn"
    Và việc "Chỉ đạo xử lý hồ sơ kiểm tra quá hạn" của Ban Giám đốc Sở đã bị hủy
