# language: vi
Tính năng: Chạy nhanh một năm của từng kế hoạch CCHC
  Bộ lập lịch mở cho mỗi nhiệm vụ một hồ sơ theo từng đơn vị chủ trì và từng kỳ, vào đúng ngày cửa sổ mở, với hạn
  tính theo lịch làm việc của Việt Nam. Chạy nhanh cả năm trên một cơ sở dữ liệu dùng một lần phải cho đúng lịch
  tính thẳng từ danh mục nhiệm vụ của kế hoạch.

  Khung kịch bản: Năm 2027 của kế hoạch <kế_hoạch>
    Khi chạy nhanh năm 2027 của kế hoạch "<kế_hoạch>"
    Thì mọi nhiệm vụ được mở đúng ngày mở và đúng hạn tính từ danh mục, mỗi đơn vị mỗi kỳ một hồ sơ
    Và nhiệm vụ "<nhiệm_vụ>" của <đơn_vị> kỳ <kỳ> được mở ngày <mở> hạn <hạn>

    Dữ liệu:
      | kế_hoạch      | nhiệm_vụ       | đơn_vị | kỳ      | mở         | hạn              |
      | hue           | HUE-TTHC-01    | TTRA   | 2028    | 01/12/2027 | 31/12/2027       |
      | hue           | HUE-TC-03      | TTRA   | 2027    | 01/12/2027 | trước 15/01/2028 |
      | hue           | HUE-TC-07      | TTRA   | 2027    | 10/11/2027 | trước 10/12/2027 |
      | hue           | HUE-CS-01      | VP     | 2027    | 01/01/2027 | 15/12/2027       |
      | quang-ngai    | QNG-CS-01      | TCCB   | 2027    | 01/01/2027 | 15/12/2027       |
      | quang-ngai    | QNG-TTHC-01    | VP     | Q2/2027 | 16/05/2027 | 15/06/2027       |
      | dong-nai-370  | DNA370-TTHC-01 | VP     | 2028    | 01/12/2027 | 31/12/2027       |
      | dong-nai-2030 | DNA-CD-11      | VP     | Q1/2027 | 18/02/2027 | 22/03/2027       |
      | dong-nai-2030 | DNA-CS-01      | VP     | 2027    | 01/01/2027 | 15/12/2027       |
      | thanh-hoa     | THA-CD-07      | VP     | Q3/2027 | 21/08/2027 | 20/09/2027       |
