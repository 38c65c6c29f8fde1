# language: vi
Tính năng: Theo dõi tình hình thi hành pháp luật tại Sở Y tế Huế
  Hai nhiệm vụ cùng nhóm với rà soát văn bản QPPL, đều do Thanh tra Sở chủ trì, các phòng chức năng và các đơn vị
  liên quan phối hợp (Phụ lục I, 000_e9e08f42d66fca15.txt): Kế hoạch theo dõi tình hình thi hành pháp luật ban hành
  "Trước ngày 15/01 hàng năm" (HUE-TC-05, dòng 421) và Báo cáo kết quả theo dõi thi hành pháp luật "Trước ngày 10/12
  hàng năm" (HUE-TC-07, dòng 425). Bộ lập lịch mở Kế hoạch năm 2027 từ 01/12/2026 (hạn trước 15/01/2027) và Báo cáo
  năm 2027 từ 10/11/2027 (hạn trước 10/12/2027); quá hạn thì Giám đốc Sở được báo để chỉ đạo xử lý.

  Bối cảnh:
    Cho Sở Y tế của kế hoạch "hue"

  Kịch bản: Kế hoạch năm 2027 mở ngày 01/12/2026, bị trả lại một lần rồi ban hành trước 15/01/2027
    Cho đồng hồ đang là 30/11/2026 09:00
    Khi đồng hồ đến 30/11/2026 23:59
    Thì chưa có nhiệm vụ "Kế hoạch theo dõi tình hình thi hành pháp luật năm 2027"
    Khi đồng hồ đến 01/12/2026 00:05
    Thì Thanh tra Sở có việc "Kế hoạch theo dõi tình hình thi hành pháp luật năm 2027" hạn trước 15/01/2027
    Và nhiệm vụ "Kế hoạch theo dõi tình hình thi hành pháp luật năm 2027" có 1 hồ sơ, mỗi đơn vị chủ trì một hồ sơ
    Và nhiệm vụ ở trạng thái "Trong hạn"
    Và chuyên viên Thanh tra Sở có việc "Xây dựng dự thảo văn bản"
    Khi chuyên viên Thanh tra Sở gửi dự thảo lấy ý kiến lúc 07/12/2026 09:00 với hạn góp ý 21/12/2026
    Thì việc "Góp ý dự thảo văn bản" được giao cho 12 đơn vị phối hợp, hạn 21/12/2026
    Và chuyên viên Thanh tra Sở không thấy việc "Góp ý dự thảo văn bản"
    Và chuyên viên Thanh tra Sở không thấy việc "Tiếp thu góp ý, hoàn thiện dự thảo trình ký"
    Khi các đơn vị phối hợp hoàn thành việc "Góp ý dự thảo văn bản" lúc 21/12/2026 16:00
    Và chuyên viên Thanh tra Sở hoàn thành việc "Tiếp thu góp ý, hoàn thiện dự thảo trình ký" lúc 04/01/2027 10:00
    Và Giám đốc Sở trả lại việc "Xem xét, ký ban hành văn bản" với ý kiến "Bổ sung lĩnh vực an toàn thực phẩm vào kế hoạch"
    Thì Giám đốc Sở không thấy việc "Xem xét, ký ban hành văn bản"
    Và chuyên viên Thanh tra Sở có việc "Tiếp thu góp ý, hoàn thiện dự thảo trình ký"
    Khi chuyên viên Thanh tra Sở hoàn thành việc "Tiếp thu góp ý, hoàn thiện dự thảo trình ký" lúc 11/01/2027 09:00
    Thì lịch sử nhiệm vụ có sự kiện "timer_fired" về "Nhắc hạn trước 5 ngày làm việc"
    Khi Giám đốc Sở phê duyệt việc "Xem xét, ký ban hành văn bản"
    Và chuyên viên Thanh tra Sở hoàn thành việc "Phát hành và gửi văn bản" lúc 14/01/2027 16:00
    Thì nhiệm vụ đã kết thúc
    Và nhiệm vụ ở trạng thái "Hoàn thành đúng hạn"
    Và việc "Phát hành và gửi văn bản" của Thanh tra Sở ở trạng thái "Hoàn thành đúng hạn"
    Và việc "Góp ý dự thảo văn bản" của Trung tâm Kiểm soát bệnh tật ở trạng thái "Hoàn thành đúng hạn"
    Và lịch sử nhiệm vụ có sự kiện "return" về "Bổ sung lĩnh vực an toàn thực phẩm vào kế hoạch"
    Và lịch sử nhiệm vụ không có sự kiện "timer_fired" về "Đến hạn"
    Và Giám đốc Sở không thấy việc "Chỉ đạo xử lý văn bản quá hạn ban hành"

  Kịch bản: Kế hoạch năm 2027 chưa ban hành khi sang ngày 15/01/2027: Giám đốc Sở chỉ đạo, ban hành quá hạn
    Cho đồng hồ đang là 01/12/2026 09:00
    Khi đồng hồ đến 01/12/2026 09:00
    Thì Thanh tra Sở có việc "Kế hoạch theo dõi tình hình thi hành pháp luật năm 2027" hạn trước 15/01/2027
    Khi chuyên viên Thanh tra Sở gửi dự thảo lấy ý kiến lúc 02/12/2026 10:00 với hạn góp ý 18/12/2026
    Và các đơn vị phối hợp hoàn thành việc "Góp ý dự thảo văn bản" lúc 18/12/2026 10:00
    Và đồng hồ đến 14/01/2027 23:59
    Thì nhiệm vụ ở trạng thái "Trong hạn"
    Và việc "Tiếp thu góp ý, hoàn thiện dự thảo trình ký" của Thanh tra Sở ở trạng thái "Trong hạn"
    Và Giám đốc Sở không thấy việc "Chỉ đạo xử lý văn bản quá hạn ban hành"
    Khi đồng hồ đến 15/01/2027 08:00
    Thì nhiệm vụ ở trạng thái "Quá hạn"
    Và việc "Tiếp thu góp ý, hoàn thiện dự thảo trình ký" của Thanh tra Sở ở trạng thái "Quá hạn"
    Và việc "Góp ý dự thảo văn bản" của Phòng Nghiệp vụ Y ở trạng thái "Hoàn thành đúng hạn"
    Và lịch sử nhiệm vụ có sự kiện "timer_fired" về "Đến hạn"
    Và Giám đốc Sở có việc "Chỉ đạo xử lý văn bản quá hạn ban hành"
    Khi Giám đốc Sở chỉ đạo "Thanh tra Sở trình ký Kế hoạch chậm nhất ngày 18/01/2027" trong việc "Chỉ đạo xử lý văn bản quá hạn ban hành"
    Thì Giám đốc Sở không thấy việc "Chỉ đạo xử lý văn bản quá hạn ban hành"
    Và nhiệm vụ ở trạng thái "Quá hạn"
    Và chuyên viên Thanh tra Sở có việc "Tiếp thu góp ý, hoàn thiện dự thảo trình ký"
    Khi chuyên viên Thanh tra Sở hoàn thành việc "Tiếp thu góp ý, hoàn thiện dự thảo trình ký" lúc 18/01/2027 09:00
    Và Giám đốc Sở phê duyệt việc "Xem xét, ký ban hành văn bản"
    Và chuyên viên Thanh tra Sở hoàn thành việc "Phát hành và gửi văn bản" lúc 18/01/2027 15:00
    Thì nhiệm vụ đã kết thúc
    Và nhiệm vụ ở trạng thái "Hoàn thành quá hạn"
    Và việc "Tiếp thu góp ý, hoàn thiện dự thảo trình ký" của Thanh tra Sở ở trạng thái "Hoàn thành quá hạn"
    Và việc "Phát hành và gửi văn bản" của Thanh tra Sở ở trạng thái "Hoàn thành quá hạn"
    Và lịch sử nhiệm vụ có sự kiện "complete" về "Thanh tra Sở trình ký Kế hoạch chậm nhất ngày 18/01/2027"

  Kịch bản: Báo cáo năm 2027 mở ngày 10/11/2027, các đơn vị báo cáo, trả lại một lần, gửi UBND tỉnh trước 10/12/2027
    Cho đồng hồ đang là 01/12/2026 09:00
    Khi đồng hồ đến 09/11/2027 23:59
    Thì chưa có nhiệm vụ "Báo cáo kết quả theo dõi thi hành pháp luật năm 2027"
    Khi đồng hồ đến 10/11/2027 00:05
    Thì Thanh tra Sở có việc "Báo cáo kết quả theo dõi thi hành pháp luật năm 2027" hạn trước 10/12/2027
    Và nhiệm vụ ở trạng thái "Trong hạn"
    Và chuyên viên Thanh tra Sở có việc "Mở kỳ báo cáo, hướng dẫn các đơn vị"
    Khi chuyên viên Thanh tra Sở mở kỳ báo cáo với hạn các đơn vị gửi báo cáo 26/11/2027
    Thì việc "Báo cáo kết quả của đơn vị" được giao cho 12 đơn vị phối hợp, hạn 26/11/2027
    Và chuyên viên Thanh tra Sở không thấy việc "Tổng hợp, xây dựng báo cáo trình ký"
    Khi các đơn vị phối hợp hoàn thành việc "Báo cáo kết quả của đơn vị" lúc 25/11/2027 10:00
    Thì việc "Báo cáo kết quả của đơn vị" của Phòng Nghiệp vụ Dược ở trạng thái "Hoàn thành đúng hạn"
    Và chuyên viên Thanh tra Sở có việc "Tổng hợp, xây dựng báo cáo trình ký"
    Khi chuyên viên Thanh tra Sở hoàn thành việc "Tổng hợp, xây dựng báo cáo trình ký" lúc 30/11/2027 09:00
    Và Giám đốc Sở trả lại việc "Xem xét, ký báo cáo" với ý kiến "Nêu rõ kiến nghị xử lý vướng mắc trong thi hành pháp luật về dược"
    Thì chuyên viên Thanh tra Sở có việc "Tổng hợp, xây dựng báo cáo trình ký"
    Và Giám đốc Sở không thấy việc "Xem xét, ký báo cáo"
    Khi chuyên viên Thanh tra Sở hoàn thành việc "Tổng hợp, xây dựng báo cáo trình ký" lúc 03/12/2027 10:00
    Và Giám đốc Sở phê duyệt việc "Xem xét, ký báo cáo"
    Và chuyên viên Thanh tra Sở hoàn thành việc "Gửi báo cáo lên cấp trên" lúc 08/12/2027 15:00
    Thì nhiệm vụ đã kết thúc
    Và nhiệm vụ ở trạng thái "Hoàn thành đúng hạn"
    Và lịch sử nhiệm vụ có sự kiện "return" về "Nêu rõ kiến nghị xử lý vướng mắc trong thi hành pháp luật về dược"
    Và lịch sử nhiệm vụ có sự kiện "timer_fired" về "Nhắc hạn trước 5 ngày làm việc"
    Và Giám đốc Sở không thấy việc "Chỉ đạo xử lý báo cáo quá hạn"

  Khung kịch bản: Báo cáo năm 2027 đã ký, gửi lúc <lúc>: <trạng_thái>
    Cho đồng hồ đang là 01/12/2026 09:00
    Khi đồng hồ đến 10/11/2027 08:00
    Thì Thanh tra Sở có việc "Báo cáo kết quả theo dõi thi hành pháp luật năm 2027" hạn trước 10/12/2027
    Khi chuyên viên Thanh tra Sở mở kỳ báo cáo với hạn các đơn vị gửi báo cáo 26/11/2027
    Và các đơn vị phối hợp hoàn thành việc "Báo cáo kết quả của đơn vị" lúc 24/11/2027 10:00
    Và chuyên viên Thanh tra Sở hoàn thành việc "Tổng hợp, xây dựng báo cáo trình ký"
    Và Giám đốc Sở phê duyệt việc "Xem xét, ký báo cáo"
    Và đồng hồ đến <lúc>
    Thì nhiệm vụ ở trạng thái "<trước_khi_gửi>"
    Và việc "Gửi báo cáo lên cấp trên" của Thanh tra Sở ở trạng thái "<trước_khi_gửi>"
    Và Giám đốc Sở <chỉ_đạo> việc "Chỉ đạo xử lý báo cáo quá hạn"
    Khi chuyên viên Thanh tra Sở hoàn thành việc "Gửi báo cáo lên cấp trên"
    Thì nhiệm vụ đã kết thúc
    Và nhiệm vụ ở trạng thái "<trạng_thái>"
    Và việc "Gửi báo cáo lên cấp trên" của Thanh tra Sở ở trạng thái "<trạng_thái>"
    Và Giám đốc Sở không thấy việc "Chỉ đạo xử lý báo cáo quá hạn"

    Dữ liệu:
      | lúc              | trước_khi_gửi | chỉ_đạo    | trạng_thái          |
      | 09/12/2027 23:59 | Trong hạn     | không thấy | Hoàn thành đúng hạn |
      | 10/12/2027 08:00 | Quá hạn       | có         | Hoàn thành quá hạn  |
      | 13/12/2027 09:30 | Quá hạn       | có         | Hoàn thành quá hạn  |
