# language: vi
Tính năng: Báo cáo CCHC định kỳ hằng quý: đầu mối mở kỳ, các đơn vị báo cáo, tổng hợp, ký và gửi cấp trên
  Kế hoạch CCHC giai đoạn 2021-2030 của Sở Y tế Đồng Nai giao Văn phòng Sở tổng hợp việc thực hiện Kế hoạch, báo cáo
  Ủy ban nhân dân tỉnh và Sở Nội vụ hằng quý (DNA-CD-11, 003_b5337e1b8adadf7a.txt:952); các phòng chuyên môn và các
  đơn vị trực thuộc báo cáo kết quả của mình cho Văn phòng Sở. Hạn chuẩn hóa ngày 20 tháng cuối quý, ngày nghỉ thì
  sang ngày làm việc kế tiếp: 20/03/2027 là thứ Bảy nên báo cáo quý I/2027 hạn 22/03/2027; kỳ mở 30 ngày trước
  ngày 20. Thanh Hóa giao Văn phòng Sở báo cáo hằng quý cho Giám đốc Sở và UBND tỉnh theo cùng nhịp (THA-CD-07,
  004_d81a6c3c1d17088b.txt:311).

  Bối cảnh:
    Cho đồng hồ đang là 01/12/2026 09:00

  Kịch bản: Quý I/2027: một đơn vị báo cáo trễ hạn đầu mối ấn định, trả lại một lần, gửi đúng hạn; quý II tự mở
    Cho Sở Y tế của kế hoạch "dong-nai-2030"
    Khi đồng hồ đến 17/02/2027 23:59
    Thì chưa có nhiệm vụ "Báo cáo CCHC định kỳ của Sở Y tế quý I/2027"
    Khi đồng hồ đến 18/02/2027 08:00
    Thì Văn phòng Sở có việc "Báo cáo CCHC định kỳ của Sở Y tế quý I/2027" hạn 22/03/2027
    Và nhiệm vụ ở trạng thái "Trong hạn"
    Và nhiệm vụ gửi báo cáo đến "Ủy ban nhân dân tỉnh, Sở Nội vụ"
    Và chuyên viên Văn phòng Sở có việc "Mở kỳ báo cáo, hướng dẫn các đơn vị"
    Khi chuyên viên Văn phòng Sở mở kỳ báo cáo với hạn các đơn vị gửi báo cáo 10/03/2027
    Thì việc "Báo cáo kết quả của đơn vị" hạn 10/03/2027 được giao cho các đơn vị phối hợp:
      | đơn vị                     |
      | Phòng Kế hoạch Tài chính   |
      | Thanh tra Sở               |
      | Phòng Nghiệp vụ Y          |
      | Phòng Nghiệp vụ Dược       |
      | Bệnh viện đa khoa Đồng Nai |
    Và chuyên viên Văn phòng Sở không thấy việc "Báo cáo kết quả của đơn vị"
    Khi chuyên viên Phòng Kế hoạch Tài chính hoàn thành việc "Báo cáo kết quả của đơn vị" lúc 03/03/2027 10:00
    Và chuyên viên Thanh tra Sở hoàn thành việc "Báo cáo kết quả của đơn vị" lúc 05/03/2027 15:00
    Và chuyên viên Phòng Nghiệp vụ Y hoàn thành việc "Báo cáo kết quả của đơn vị" lúc 09/03/2027 11:00
    Và đồng hồ đến 10/03/2027 17:00
    Thì việc "Báo cáo kết quả của đơn vị" của Phòng Nghiệp vụ Dược ở trạng thái "Trong hạn"
    Và việc "Báo cáo kết quả của đơn vị" của Bệnh viện đa khoa Đồng Nai ở trạng thái "Trong hạn"
    Khi chuyên viên Phòng Nghiệp vụ Dược hoàn thành việc "Báo cáo kết quả của đơn vị" lúc 10/03/2027 23:30
    Và đồng hồ đến 11/03/2027 08:00
    Thì việc "Báo cáo kết quả của đơn vị" của Bệnh viện đa khoa Đồng Nai ở trạng thái "Quá hạn"
    Và việc "Báo cáo kết quả của đơn vị" của Phòng Nghiệp vụ Dược ở trạng thái "Hoàn thành đúng hạn"
    Và việc "Báo cáo kết quả của đơn vị" của Phòng Kế hoạch Tài chính ở trạng thái "Hoàn thành đúng hạn"
    Và nhiệm vụ ở trạng thái "Trong hạn"
    Và chuyên viên Văn phòng Sở không thấy việc "Tổng hợp, xây dựng báo cáo trình ký"
    Khi chuyên viên Bệnh viện đa khoa Đồng Nai hoàn thành việc "Báo cáo kết quả của đơn vị" lúc 12/03/2027 14:00
    Thì việc "Báo cáo kết quả của đơn vị" của Bệnh viện đa khoa Đồng Nai ở trạng thái "Hoàn thành quá hạn"
    Và chuyên viên Văn phòng Sở có việc "Tổng hợp, xây dựng báo cáo trình ký"
    Và báo cáo của 5 đơn vị phối hợp đã đến Văn phòng Sở
    Khi chuyên viên Văn phòng Sở hoàn thành việc "Tổng hợp, xây dựng báo cáo trình ký" lúc 15/03/2027 09:00
    Thì lịch sử nhiệm vụ có sự kiện "timer_fired" về "Nhắc hạn trước 5 ngày làm việc"
    Khi Giám đốc Sở trả lại việc "Xem xét, ký báo cáo" với ý kiến "Bổ sung số liệu hồ sơ TTHC trực tuyến toàn trình"
    Thì Giám đốc Sở không thấy việc "Xem xét, ký báo cáo"
    Và chuyên viên Văn phòng Sở có việc "Tổng hợp, xây dựng báo cáo trình ký"
    Khi chuyên viên Văn phòng Sở hoàn thành việc "Tổng hợp, xây dựng báo cáo trình ký" lúc 17/03/2027 10:00
    Và Giám đốc Sở phê duyệt việc "Xem xét, ký báo cáo"
    Và chuyên viên Văn phòng Sở gửi báo cáo số "112/BC-SYT" đến "Ủy ban nhân dân tỉnh, Sở Nội vụ" lúc 19/03/2027 10:00
    Thì nhiệm vụ đã kết thúc
    Và nhiệm vụ ở trạng thái "Hoàn thành đúng hạn"
    Và việc "Gửi báo cáo lên cấp trên" của Văn phòng Sở ở trạng thái "Hoàn thành đúng hạn"
    Và lịch sử nhiệm vụ có sự kiện "return" về "Bổ sung số liệu hồ sơ TTHC trực tuyến toàn trình"
    Và lịch sử nhiệm vụ có sự kiện "complete" về "112/BC-SYT"
    Và Giám đốc Sở không thấy việc "Chỉ đạo xử lý báo cáo quá hạn"
    Khi đồng hồ đến 20/05/2027 23:59
    Thì chưa có nhiệm vụ "Báo cáo CCHC định kỳ của Sở Y tế quý II/2027"
    Khi đồng hồ đến 21/05/2027 00:05
    Thì Văn phòng Sở có việc "Báo cáo CCHC định kỳ của Sở Y tế quý II/2027" hạn 21/06/2027
    Và chuyên viên Văn phòng Sở có việc "Mở kỳ báo cáo, hướng dẫn các đơn vị"
    Và nhiệm vụ ở trạng thái "Trong hạn"

  Kịch bản: Quý I/2027 đã ký nhưng chưa gửi khi hết ngày 22/03/2027: Giám đốc Sở chỉ đạo, gửi quá hạn
    Cho Sở Y tế của kế hoạch "dong-nai-2030"
    Khi đồng hồ đến 18/02/2027 08:00
    Thì Văn phòng Sở có việc "Báo cáo CCHC định kỳ của Sở Y tế quý I/2027" hạn 22/03/2027
    Khi chuyên viên Văn phòng Sở mở kỳ báo cáo với hạn các đơn vị gửi báo cáo 10/03/2027
    Và các đơn vị phối hợp hoàn thành việc "Báo cáo kết quả của đơn vị"
    Và chuyên viên Văn phòng Sở hoàn thành việc "Tổng hợp, xây dựng báo cáo trình ký" lúc 16/03/2027 09:00
    Và Giám đốc Sở phê duyệt việc "Xem xét, ký báo cáo"
    Và đồng hồ đến 22/03/2027 23:59
    Thì nhiệm vụ ở trạng thái "Trong hạn"
    Và việc "Gửi báo cáo lên cấp trên" của Văn phòng Sở ở trạng thái "Trong hạn"
    Và Giám đốc Sở không thấy việc "Chỉ đạo xử lý báo cáo quá hạn"
    Khi đồng hồ đến 23/03/2027 08:00
    Thì nhiệm vụ ở trạng thái "Quá hạn"
    Và việc "Gửi báo cáo lên cấp trên" của Văn phòng Sở ở trạng thái "Quá hạn"
    Và việc "Báo cáo kết quả của đơn vị" của Thanh tra Sở ở trạng thái "Hoàn thành đúng hạn"
    Và lịch sử nhiệm vụ có sự kiện "timer_fired" về "Đến hạn"
    Và Giám đốc Sở có việc "Chỉ đạo xử lý báo cáo quá hạn"
    Và việc "Chỉ đạo xử lý báo cáo quá hạn" của Ban Giám đốc Sở hạn 26/03/2027
    Khi Giám đốc Sở chỉ đạo "Văn phòng Sở gửi báo cáo quý I ngay trong ngày 23/03/2027" trong việc "Chỉ đạo xử lý báo cáo quá hạn"
    Thì Giám đốc Sở không thấy việc "Chỉ đạo xử lý báo cáo quá hạn"
    Và chuyên viên Văn phòng Sở có việc "Gửi báo cáo lên cấp trên"
    Khi chuyên viên Văn phòng Sở gửi báo cáo số "121/BC-SYT" đến "Ủy ban nhân dân tỉnh, Sở Nội vụ" lúc 23/03/2027 16:00
    Thì nhiệm vụ đã kết thúc
    Và nhiệm vụ ở trạng thái "Hoàn thành quá hạn"
    Và việc "Gửi báo cáo lên cấp trên" của Văn phòng Sở ở trạng thái "Hoàn thành quá hạn"
    Và lịch sử nhiệm vụ có sự kiện "complete" về "Văn phòng Sở gửi báo cáo quý I ngay trong ngày 23/03/2027"

  Kịch bản: Đơn vị chưa báo cáo khi đến hạn gửi cấp trên: Giám đốc Sở được báo, việc chỉ đạo tự đóng khi báo cáo được gửi
    Cho Sở Y tế của kế hoạch "dong-nai-2030"
    Khi đồng hồ đến 18/02/2027 08:00
    Thì Văn phòng Sở có việc "Báo cáo CCHC định kỳ của Sở Y tế quý I/2027" hạn 22/03/2027
    Khi chuyên viên Văn phòng Sở mở kỳ báo cáo với hạn các đơn vị gửi báo cáo 12/03/2027
    Và chuyên viên Phòng Kế hoạch Tài chính hoàn thành việc "Báo cáo kết quả của đơn vị" lúc 11/03/2027 09:00
    Và chuyên viên Thanh tra Sở hoàn thành việc "Báo cáo kết quả của đơn vị"
    Và chuyên viên Phòng Nghiệp vụ Y hoàn thành việc "Báo cáo kết quả của đơn vị"
    Và chuyên viên Bệnh viện đa khoa Đồng Nai hoàn thành việc "Báo cáo kết quả của đơn vị"
    Và đồng hồ đến 23/03/2027 08:00
    Thì nhiệm vụ ở trạng thái "Quá hạn"
    Và việc "Báo cáo kết quả của đơn vị" của Phòng Nghiệp vụ Dược ở trạng thái "Quá hạn"
    Và việc "Báo cáo kết quả của đơn vị" của Bệnh viện đa khoa Đồng Nai ở trạng thái "Hoàn thành đúng hạn"
    Và Giám đốc Sở có việc "Chỉ đạo xử lý báo cáo quá hạn"
    Khi chuyên viên Phòng Nghiệp vụ Dược hoàn thành việc "Báo cáo kết quả của đơn vị" lúc 23/03/2027 10:00
    Và chuyên viên Văn phòng Sở hoàn thành việc "Tổng hợp, xây dựng báo cáo trình ký"
    Và Giám đốc Sở phê duyệt việc "Xem xét, ký báo cáo"
    Và chuyên viên Văn phòng Sở gửi báo cáo số "125/BC-SYT" đến "Ủy ban nhân dân tỉnh, Sở Nội vụ" lúc 24/03/2027 09:00
    Thì nhiệm vụ đã kết thúc
    Và nhiệm vụ ở trạng thái "Hoàn thành quá hạn"
    Và việc "Báo cáo kết quả của đơn vị" của Phòng Nghiệp vụ Dược ở trạng thái "Hoàn thành quá hạn"
    Và Giám đốc Sở không thấy việc "Chỉ đạo xử lý báo cáo quá hạn"
    Và việc "Chỉ đạo xử lý báo cáo quá hạn" của Ban Giám đốc Sở đã tự đóng

  Khung kịch bản: Mỗi quý tự mở đúng ngày, hạn ngày 20 tháng cuối quý theo lịch làm việc (<kế_hoạch>, <kỳ>)
    Cho Sở Y tế của kế hoạch "<kế_hoạch>"
    Khi đồng hồ đến <trước_ngày_mở>
    Thì chưa có nhiệm vụ "<nhiệm_vụ> <kỳ>"
    Khi đồng hồ đến <ngày_mở>
    Thì Văn phòng Sở có việc "<nhiệm_vụ> <kỳ>" hạn <hạn>
    Và nhiệm vụ ở trạng thái "Trong hạn"
    Và chuyên viên Văn phòng Sở có việc "Mở kỳ báo cáo, hướng dẫn các đơn vị"

    Dữ liệu:
      | kế_hoạch      | nhiệm_vụ                         | kỳ           | trước_ngày_mở    | ngày_mở          | hạn        |
      | dong-nai-2030 | Báo cáo CCHC định kỳ của Sở Y tế | quý III/2027 | 20/08/2027 23:59 | 21/08/2027 00:05 | 20/09/2027 |
      | dong-nai-2030 | Báo cáo CCHC định kỳ của Sở Y tế | quý IV/2027  | 19/11/2027 23:59 | 20/11/2027 00:05 | 20/12/2027 |
      | thanh-hoa     | Báo cáo công tác CCHC            | quý I/2027   | 17/02/2027 23:59 | 18/02/2027 00:05 | 22/03/2027 |
