# language: vi
Tính năng: Rà soát, hệ thống hóa văn bản QPPL và báo cáo kết quả trước 15/01
  Là Thanh tra Sở (đơn vị chủ trì),
  tôi muốn các phòng phối hợp rà soát văn bản thuộc lĩnh vực của mình, tôi tổng hợp báo cáo và trình Giám đốc Sở,
  để báo cáo kết quả rà soát được ban hành đúng hạn; quá hạn thì Giám đốc Sở được báo để chỉ đạo xử lý.

  Bối cảnh:
    Cho đồng hồ đang là 01/12/2026 09:00
    Và Thanh tra Sở khởi tạo nhiệm vụ rà soát văn bản QPPL kỳ 2026 với đơn vị phối hợp Phòng Kế hoạch - Tài chính và Phòng Nghiệp vụ Y

  Kịch bản: Rà soát trôi chảy qua cả ba làn: chủ trì, phối hợp, phê duyệt
    Thì hạn báo cáo là 15/01/2027 00:00 và nhắc hạn lúc 08/01/2027 08:00
    Và chuyên viên Thanh tra Sở có việc "Khởi động rà soát văn bản QPPL"
    Khi chuyên viên Thanh tra Sở hoàn thành việc "Khởi động rà soát văn bản QPPL"
    Thì chuyên viên Phòng Kế hoạch - Tài chính có đúng 1 việc "Rà soát văn bản thuộc lĩnh vực của đơn vị" của Phòng Kế hoạch - Tài chính
    Và chuyên viên Phòng Nghiệp vụ Y có đúng 1 việc "Rà soát văn bản thuộc lĩnh vực của đơn vị" của Phòng Nghiệp vụ Y
    Và chuyên viên Phòng Nghiệp vụ Dược không thấy việc "Rà soát văn bản thuộc lĩnh vực của đơn vị"
    Và chuyên viên Thanh tra Sở không thấy việc "Tổng hợp, xây dựng báo cáo kết quả rà soát"
    Khi chuyên viên Phòng Kế hoạch - Tài chính hoàn thành việc "Rà soát văn bản thuộc lĩnh vực của đơn vị"
    Thì chuyên viên Thanh tra Sở không thấy việc "Tổng hợp, xây dựng báo cáo kết quả rà soát"
    Khi chuyên viên Phòng Nghiệp vụ Y hoàn thành việc "Rà soát văn bản thuộc lĩnh vực của đơn vị"
    Thì chuyên viên Thanh tra Sở có việc "Tổng hợp, xây dựng báo cáo kết quả rà soát"
    Khi chuyên viên Thanh tra Sở hoàn thành việc "Tổng hợp, xây dựng báo cáo kết quả rà soát"
    Thì Giám đốc Sở có việc "Xem xét, phê duyệt báo cáo"
    Khi Giám đốc Sở phê duyệt báo cáo
    Thì quy trình ở trạng thái "Đã kết thúc"
    Và Giám đốc Sở không thấy việc "Xem xét, phê duyệt báo cáo"
    Và việc "Tổng hợp, xây dựng báo cáo kết quả rà soát" của Thanh tra Sở ở trạng thái "Hoàn thành đúng hạn"
    Và lịch sử quy trình có các sự kiện theo thứ tự:
      | sự kiện            | nội dung                                   |
      | start              | kỳ 2026                                    |
      | complete           | Khởi động rà soát văn bản QPPL             |
      | complete           | Rà soát văn bản thuộc lĩnh vực của đơn vị  |
      | complete           | Rà soát văn bản thuộc lĩnh vực của đơn vị  |
      | complete           | Tổng hợp, xây dựng báo cáo kết quả rà soát |
      | complete           | Xem xét, phê duyệt báo cáo                 |
      | instance_completed | Quy trình đã kết thúc                      |

  Kịch bản: Giám đốc Sở trả lại để bổ sung, đơn vị chủ trì hoàn thiện rồi được phê duyệt
    Cho báo cáo đã được trình Giám đốc Sở
    Khi Giám đốc Sở trả lại báo cáo với ý kiến "Bổ sung số liệu văn bản đã rà soát của Phòng Nghiệp vụ Y"
    Thì Giám đốc Sở không thấy việc "Xem xét, phê duyệt báo cáo"
    Và chuyên viên Thanh tra Sở có việc "Tổng hợp, xây dựng báo cáo kết quả rà soát"
    Và chuyên viên Thanh tra Sở thấy "Ý kiến của Lãnh đạo Sở" là "Bổ sung số liệu văn bản đã rà soát của Phòng Nghiệp vụ Y" trong việc "Tổng hợp, xây dựng báo cáo kết quả rà soát"
    Và chuyên viên Thanh tra Sở thấy "Số lần đã trả lại" là "1" trong việc "Tổng hợp, xây dựng báo cáo kết quả rà soát"
    Khi chuyên viên Thanh tra Sở hoàn thành việc "Tổng hợp, xây dựng báo cáo kết quả rà soát"
    Và Giám đốc Sở phê duyệt báo cáo
    Thì quy trình ở trạng thái "Đã kết thúc"
    Và lịch sử quy trình có các sự kiện theo thứ tự:
      | sự kiện            | nội dung                                                    |
      | complete           | Tổng hợp, xây dựng báo cáo kết quả rà soát                  |
      | return             | Bổ sung số liệu văn bản đã rà soát của Phòng Nghiệp vụ Y    |
      | complete           | Tổng hợp, xây dựng báo cáo kết quả rà soát                  |
      | complete           | Xem xét, phê duyệt báo cáo                                  |
      | instance_completed | Quy trình đã kết thúc                                       |

  Kịch bản: Nhắc hạn trước 5 ngày làm việc, quá hạn 15/01 thì Giám đốc Sở chỉ đạo xử lý
    Cho các đơn vị phối hợp đã gửi kết quả rà soát
    Khi đồng hồ đến ngày 08/01/2027 07:59
    Và bộ hẹn giờ được chạy
    Thì lịch sử quy trình chưa có sự kiện "timer_fired" về "Nhắc hạn trước 5 ngày làm việc"
    Khi đồng hồ đến ngày 08/01/2027 08:01
    Và bộ hẹn giờ được chạy
    Thì lịch sử quy trình có sự kiện "timer_fired" về "Nhắc hạn trước 5 ngày làm việc"
    Và lịch sử quy trình chưa có sự kiện "timer_fired" về "Đến hạn 15/01"
    Và việc "Tổng hợp, xây dựng báo cáo kết quả rà soát" của Thanh tra Sở ở trạng thái "Trong hạn"
    Và Giám đốc Sở không thấy việc "Chỉ đạo xử lý báo cáo quá hạn"
    Khi đồng hồ đến ngày 15/01/2027 08:00
    Và bộ hẹn giờ được chạy
    Thì lịch sử quy trình có sự kiện "timer_fired" về "Đến hạn 15/01"
    Và Giám đốc Sở có việc "Chỉ đạo xử lý báo cáo quá hạn"
    Và việc "Tổng hợp, xây dựng báo cáo kết quả rà soát" của Thanh tra Sở ở trạng thái "Quá hạn"
    Và quy trình ở trạng thái "Đang thực hiện"
    Khi chuyên viên Thanh tra Sở hoàn thành việc "Tổng hợp, xây dựng báo cáo kết quả rà soát"
    Và Giám đốc Sở phê duyệt báo cáo
    Thì quy trình ở trạng thái "Đã kết thúc"
    Và Giám đốc Sở không thấy việc "Chỉ đạo xử lý báo cáo quá hạn"
    Và việc "Chỉ đạo xử lý báo cáo quá hạn" của Ban Giám đốc Sở đã bị hủy
    Và việc "Tổng hợp, xây dựng báo cáo kết quả rà soát" của Thanh tra Sở ở trạng thái "Hoàn thành quá hạn"

  Kịch bản: Giám đốc Sở chỉ đạo xử lý quá hạn rồi báo cáo vẫn được phê duyệt
    Cho báo cáo đã được trình Giám đốc Sở
    Khi đồng hồ đến ngày 15/01/2027 08:00
    Và bộ hẹn giờ được chạy
    Thì Giám đốc Sở có việc "Chỉ đạo xử lý báo cáo quá hạn"
    Và Giám đốc Sở có việc "Xem xét, phê duyệt báo cáo"
    Khi Giám đốc Sở hoàn thành việc "Chỉ đạo xử lý báo cáo quá hạn"
    Thì quy trình ở trạng thái "Đang thực hiện"
    Và Giám đốc Sở không thấy việc "Chỉ đạo xử lý báo cáo quá hạn"
    Khi Giám đốc Sở phê duyệt báo cáo
    Thì quy trình ở trạng thái "Đã kết thúc"

  Khung kịch bản: Trạng thái hạn của việc tổng hợp theo thời điểm hoàn thành
    Cho các đơn vị phối hợp đã gửi kết quả rà soát
    Khi đồng hồ đến ngày <lúc>
    Và bộ hẹn giờ được chạy
    Và chuyên viên Thanh tra Sở hoàn thành việc "Tổng hợp, xây dựng báo cáo kết quả rà soát"
    Thì việc "Tổng hợp, xây dựng báo cáo kết quả rà soát" của Thanh tra Sở ở trạng thái "<trạng_thái>"
    Và Giám đốc Sở <có_hay_không> việc "Chỉ đạo xử lý báo cáo quá hạn"

    Dữ liệu:
      | lúc              | trạng_thái          | có_hay_không |
      | 14/01/2027 23:59 | Hoàn thành đúng hạn | không thấy   |
      | 15/01/2027 00:00 | Hoàn thành quá hạn  | không thấy   |
      | 15/01/2027 00:01 | Hoàn thành quá hạn  | có           |
      | 20/01/2027 10:30 | Hoàn thành quá hạn  | có           |
