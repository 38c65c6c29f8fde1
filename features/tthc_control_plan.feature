# language: vi
Tính năng: Kế hoạch kiểm soát thủ tục hành chính hằng năm
  Kế hoạch kiểm soát TTHC của năm sau được xây dựng trong tháng 12: đơn vị chủ trì dự thảo, các đơn vị phối hợp
  góp ý, Giám đốc Sở ký, ban hành trước 31/12. Huế giao Thanh tra Sở (000_e9e08f42d66fca15.txt:427),
  Đồng Nai giao Văn phòng Sở (002_75465662d3185cd3.txt:87).

  Kịch bản: Thanh tra Sở Huế nhận việc ngày 01/12, bị trả lại một lần rồi ban hành đúng hạn
    Cho Sở Y tế của kế hoạch "hue"
    Và đồng hồ đang là 30/11/2026 09:00
    Khi đồng hồ đến 30/11/2026 23:00
    Thì chưa có nhiệm vụ "Xây dựng Kế hoạch kiểm soát TTHC năm 2027"
    Khi đồng hồ đến 01/12/2026 00:05
    Thì Thanh tra Sở có việc "Xây dựng Kế hoạch kiểm soát TTHC năm 2027" hạn 31/12/2026
    Và nhiệm vụ ở trạng thái "Trong hạn"
    Khi chuyên viên Thanh tra Sở hoàn thành việc "Xây dựng dự thảo văn bản"
    Và các đơn vị phối hợp hoàn thành việc "Góp ý dự thảo văn bản"
    Và chuyên viên Thanh tra Sở hoàn thành việc "Tiếp thu góp ý, hoàn thiện dự thảo trình ký"
    Và Giám đốc Sở trả lại việc "Xem xét, ký ban hành văn bản" với ý kiến "Bổ sung TTHC lĩnh vực dược"
    Thì chuyên viên Thanh tra Sở có việc "Tiếp thu góp ý, hoàn thiện dự thảo trình ký"
    Khi chuyên viên Thanh tra Sở hoàn thành việc "Tiếp thu góp ý, hoàn thiện dự thảo trình ký"
    Và Giám đốc Sở phê duyệt việc "Xem xét, ký ban hành văn bản"
    Và chuyên viên Thanh tra Sở hoàn thành việc "Phát hành và gửi văn bản" lúc 28/12/2026 10:00
    Thì nhiệm vụ đã kết thúc
    Và nhiệm vụ ở trạng thái "Hoàn thành đúng hạn"
    Và lịch sử nhiệm vụ có sự kiện "return" về "Bổ sung TTHC lĩnh vực dược"

  Kịch bản: Đồng Nai giao Văn phòng Sở; quá hạn thì Giám đốc Sở được báo để chỉ đạo
    Cho Sở Y tế của kế hoạch "dong-nai-370"
    Và đồng hồ đang là 30/11/2026 09:00
    Khi đồng hồ đến 01/12/2026 08:00
    Thì Văn phòng Sở có việc "Xây dựng Kế hoạch kiểm soát TTHC năm 2027" hạn 31/12/2026
    Và chuyên viên Thanh tra Sở không thấy việc "Xây dựng dự thảo văn bản"
    Khi đồng hồ đến 24/12/2026 08:30
    Thì lịch sử nhiệm vụ có sự kiện "timer_fired" về "Nhắc hạn"
    Và Giám đốc Sở không thấy việc "Chỉ đạo xử lý văn bản quá hạn ban hành"
    Khi đồng hồ đến 04/01/2027 08:00
    Thì nhiệm vụ ở trạng thái "Quá hạn"
    Và việc "Xây dựng dự thảo văn bản" của Văn phòng Sở ở trạng thái "Quá hạn"
    Và Giám đốc Sở có việc "Chỉ đạo xử lý văn bản quá hạn ban hành"
    Khi chuyên viên Văn phòng Sở hoàn thành việc "Xây dựng dự thảo văn bản"
    Và các đơn vị phối hợp hoàn thành việc "Góp ý dự thảo văn bản"
    Và chuyên viên Văn phòng Sở hoàn thành việc "Tiếp thu góp ý, hoàn thiện dự thảo trình ký"
    Và Giám đốc Sở phê duyệt việc "Xem xét, ký ban hành văn bản"
    Và chuyên viên Văn phòng Sở hoàn thành việc "Phát hành và gửi văn bản"
    Thì nhiệm vụ ở trạng thái "Hoàn thành quá hạn"
    Và Giám đốc Sở không thấy việc "Chỉ đạo xử lý văn bản quá hạn ban hành"
