# language: vi
Tính năng: Nhiệm vụ thường xuyên, báo cáo kết quả hằng quý
  Kế hoạch của Sở Y tế Quảng Ngãi giao Văn phòng Sở "thường xuyên hằng năm" phối hợp với Trung tâm Phục vụ hành chính
  công tỉnh tạo điều kiện cho người dân, tổ chức tiếp cận dịch vụ giải quyết TTHC của Sở (QNG-TTHC-01,
  001_07b90c17cd1837c6.txt:190). Việc làm liên tục được theo dõi theo quý: mỗi quý một hồ sơ, mở 30 ngày trước hạn,
  Văn phòng Sở báo cáo kết quả trước ngày 15 tháng cuối quý; nhắc trước 5 ngày làm việc, quá hạn thì Giám đốc Sở
  được báo để chỉ đạo.

  Bối cảnh:
    Cho Sở Y tế của kế hoạch "quang-ngai"
    Và đồng hồ đang là 01/12/2026 09:00

  Kịch bản: Quý I/2027 tự mở ngày 13/02/2027, Văn phòng Sở báo cáo đúng hạn; quý II tự mở ngày 16/05/2027
    Khi đồng hồ đến 12/02/2027 23:59
    Thì chưa có nhiệm vụ "Tiếp cận dịch vụ giải quyết TTHC tại Trung tâm Phục vụ hành chính công tỉnh quý I/2027"
    Khi đồng hồ đến 13/02/2027 00:05
    Thì Văn phòng Sở có việc "Tiếp cận dịch vụ giải quyết TTHC tại Trung tâm Phục vụ hành chính công tỉnh quý I/2027" hạn 15/03/2027
    Và nhiệm vụ ở trạng thái "Trong hạn"
    Và chuyên viên Văn phòng Sở có việc "Báo cáo kết quả thực hiện trong kỳ"
    Và chuyên viên Phòng Tổ chức - Cán bộ không thấy việc "Báo cáo kết quả thực hiện trong kỳ"
    Khi đồng hồ đến 08/03/2027 09:00
    Thì lịch sử nhiệm vụ có sự kiện "timer_fired" về "Nhắc hạn trước 5 ngày làm việc"
    Và việc "Báo cáo kết quả thực hiện trong kỳ" của Văn phòng Sở ở trạng thái "Trong hạn"
    Khi chuyên viên Văn phòng Sở báo cáo kết quả "Bố trí thêm 20 ghế chờ và 2 máy tra cứu TTHC tại quầy của Sở" lúc 12/03/2027 16:00
    Thì nhiệm vụ đã kết thúc
    Và nhiệm vụ ở trạng thái "Hoàn thành đúng hạn"
    Và việc "Báo cáo kết quả thực hiện trong kỳ" của Văn phòng Sở ở trạng thái "Hoàn thành đúng hạn"
    Và lịch sử nhiệm vụ có sự kiện "complete" về "Bố trí thêm 20 ghế chờ và 2 máy tra cứu TTHC tại quầy của Sở"
    Và Giám đốc Sở không thấy việc "Chỉ đạo xử lý báo cáo kết quả quá hạn"
    Khi đồng hồ đến 15/05/2027 23:59
    Thì chưa có nhiệm vụ "Tiếp cận dịch vụ giải quyết TTHC tại Trung tâm Phục vụ hành chính công tỉnh quý II/2027"
    Khi đồng hồ đến 16/05/2027 00:05
    Thì Văn phòng Sở có việc "Tiếp cận dịch vụ giải quyết TTHC tại Trung tâm Phục vụ hành chính công tỉnh quý II/2027" hạn 15/06/2027
    Và nhiệm vụ ở trạng thái "Trong hạn"
    Và chuyên viên Văn phòng Sở có việc "Báo cáo kết quả thực hiện trong kỳ"

  Kịch bản: Quý I/2027 chưa báo cáo khi hết ngày 15/03/2027: Giám đốc Sở chỉ đạo, báo cáo quá hạn
    Khi đồng hồ đến 13/02/2027 08:00
    Thì Văn phòng Sở có việc "Tiếp cận dịch vụ giải quyết TTHC tại Trung tâm Phục vụ hành chính công tỉnh quý I/2027" hạn 15/03/2027
    Khi đồng hồ đến 15/03/2027 23:59
    Thì nhiệm vụ ở trạng thái "Trong hạn"
    Và Giám đốc Sở không thấy việc "Chỉ đạo xử lý báo cáo kết quả quá hạn"
    Khi đồng hồ đến 16/03/2027 08:00
    Thì nhiệm vụ ở trạng thái "Quá hạn"
    Và việc "Báo cáo kết quả thực hiện trong kỳ" của Văn phòng Sở ở trạng thái "Quá hạn"
    Và lịch sử nhiệm vụ có sự kiện "timer_fired" về "Đến hạn"
    Và Giám đốc Sở có việc "Chỉ đạo xử lý báo cáo kết quả quá hạn"
    Khi Giám đốc Sở chỉ đạo "Văn phòng Sở báo cáo kết quả quý I trước 17/03/2027" trong việc "Chỉ đạo xử lý báo cáo kết quả quá hạn"
    Thì Giám đốc Sở không thấy việc "Chỉ đạo xử lý báo cáo kết quả quá hạn"
    Và nhiệm vụ ở trạng thái "Quá hạn"
    Và chuyên viên Văn phòng Sở có việc "Báo cáo kết quả thực hiện trong kỳ"
    Khi chuyên viên Văn phòng Sở báo cáo kết quả "Đã rà soát trang thiết bị tại quầy của Sở" lúc 16/03/2027 15:00
    Thì nhiệm vụ đã kết thúc
    Và nhiệm vụ ở trạng thái "Hoàn thành quá hạn"
    Và việc "Báo cáo kết quả thực hiện trong kỳ" của Văn phòng Sở ở trạng thái "Hoàn thành quá hạn"
    Và lịch sử nhiệm vụ có sự kiện "complete" về "Văn phòng Sở báo cáo kết quả quý I trước 17/03/2027"

  Khung kịch bản: Báo cáo quý I/2027 lúc <lúc>: <trạng_thái>
    Khi đồng hồ đến 13/02/2027 08:00
    Thì Văn phòng Sở có việc "Tiếp cận dịch vụ giải quyết TTHC tại Trung tâm Phục vụ hành chính công tỉnh quý I/2027" hạn 15/03/2027
    Khi đồng hồ đến <lúc>
    Thì Giám đốc Sở <chỉ_đạo> việc "Chỉ đạo xử lý báo cáo kết quả quá hạn"
    Khi chuyên viên Văn phòng Sở hoàn thành việc "Báo cáo kết quả thực hiện trong kỳ"
    Thì nhiệm vụ ở trạng thái "<trạng_thái>"
    Và Giám đốc Sở không thấy việc "Chỉ đạo xử lý báo cáo kết quả quá hạn"

    Dữ liệu:
      | lúc              | chỉ_đạo    | trạng_thái          |
      | 13/02/2027 08:00 | không thấy | Hoàn thành đúng hạn |
      | 15/03/2027 23:59 | không thấy | Hoàn thành đúng hạn |
      | 16/03/2027 00:01 | có         | Hoàn thành quá hạn  |
      | 02/04/2027 10:00 | có         | Hoàn thành quá hạn  |

  Kịch bản: Cả năm 2027: bốn kỳ quý I/2027 … quý IV/2027, mỗi kỳ tự mở đúng ngày, kỳ chậm thì Giám đốc Sở được báo
    Khi đồng hồ đến 13/02/2027 08:00
    Thì Văn phòng Sở có việc "Tiếp cận dịch vụ giải quyết TTHC tại Trung tâm Phục vụ hành chính công tỉnh quý I/2027" hạn 15/03/2027
    Khi chuyên viên Văn phòng Sở báo cáo kết quả "Bố trí đủ chỗ ngồi chờ tại quầy của Sở" lúc 10/03/2027 10:00
    Và đồng hồ đến 15/05/2027 23:59
    Thì chưa có nhiệm vụ "Tiếp cận dịch vụ giải quyết TTHC tại Trung tâm Phục vụ hành chính công tỉnh quý II/2027"
    Khi đồng hồ đến 16/05/2027 08:00
    Thì Văn phòng Sở có việc "Tiếp cận dịch vụ giải quyết TTHC tại Trung tâm Phục vụ hành chính công tỉnh quý II/2027" hạn 15/06/2027
    Khi chuyên viên Văn phòng Sở báo cáo kết quả "Thay mới máy lấy số thứ tự tại quầy của Sở" lúc 17/06/2027 09:00
    Và đồng hồ đến 16/08/2027 08:00
    Và đồng hồ đến 16/09/2027 08:00
    Và đồng hồ đến 14/11/2027 23:59
    Thì chưa có nhiệm vụ "Tiếp cận dịch vụ giải quyết TTHC tại Trung tâm Phục vụ hành chính công tỉnh quý IV/2027"
    Khi đồng hồ đến 15/11/2027 08:00
    Thì nhiệm vụ "Tiếp cận dịch vụ giải quyết TTHC tại Trung tâm Phục vụ hành chính công tỉnh" của Văn phòng Sở năm 2027 có các kỳ:
      | kỳ           | mở ngày    | hạn        | trạng thái          | Giám đốc Sở chỉ đạo |
      | quý I/2027   | 13/02/2027 | 15/03/2027 | Hoàn thành đúng hạn | không               |
      | quý II/2027  | 16/05/2027 | 15/06/2027 | Hoàn thành quá hạn  | không               |
      | quý III/2027 | 16/08/2027 | 15/09/2027 | Quá hạn             | có                  |
      | quý IV/2027  | 15/11/2027 | 15/12/2027 | Trong hạn           | không               |
