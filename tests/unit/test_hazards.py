import pytest

from evn.domain.language.hazards import FALLEN_LINE, FIRE, SHOCK, SPARKS, WATER, hazard_in


@pytest.mark.parametrize(("text", "kind"), [
    ("ổ cắm nhà em đang bốc khói", FIRE),
    ("o cam boc khoi", FIRE),
    ("có mùi khét ở công tơ", FIRE),
    ("co mui khet o cau dao", FIRE),
    ("công tơ bị cháy rồi", FIRE),
    ("nghe tiếng nổ ở trạm biến áp", FIRE),
    ("bi chap dien", FIRE),
    ("cột điện trước nhà bị ngã", FALLEN_LINE),
    ("cot dien nga ra duong", FALLEN_LINE),
    ("dây điện bị đứt rơi xuống đường", FALLEN_LINE),
    ("day dien rot xuong dat", FALLEN_LINE),
    ("dây điện võng thấp sát đầu người đi đường", FALLEN_LINE),
    ("trụ điện trước nhà 20 Kha Vạn Cân Linh Trung Thủ Đức nghiêng muốn đổ luôn rồi", FALLEN_LINE),
    ("thấy tia lửa xẹt ở dây điện", SPARKS),
    ("cau dao xet lua", SPARKS),
    ("có người bị điện giật", SHOCK),
    ("con toi bi dien giat", SHOCK),
    ("nước ngập gần công tơ", WATER),
    ("nuoc mua tran vao o cam", WATER),
    ("dây điện bị đứt, có tia lửa, người bị giật điện", SHOCK),  # the most urgent first
])
def test_dangers_are_recognised_with_and_without_diacritics(text, kind):
    assert hazard_in(text) == kind


@pytest.mark.parametrize("text", [
    "công tơ chạy nhanh quá", "cong to chay nhanh qua", "tôi còn nợ không", "no bao nhieu",
    "mất điện từ sáng", "tiền nước tháng này", "hóa đơn tháng 10", "đồng hồ điện quay nhanh", "",
    "chạy thận", "mưa to mất điện", "mua dien tra truoc", "điện chập chờn cả buổi", "tiền điện giật mình luôn",
    "dây điện nhà tôi cũ rồi", "dây điện dùng được bao lâu", "cột điện đó ai quản lý", "cột điện ở ngã ba",
    "tôi ở nước ngoài, muốn đóng tiền điện cho công tơ", "máy lạnh đang chạy rồi", "cháy túi luôn", "tăng nổ trời",
])
def test_ordinary_messages_are_not_dangers(text):
    assert hazard_in(text) is None


@pytest.mark.parametrize(("text", "kind"), [
    ("dien giat minh", None), ("điện nổ giật mình", None), ("điện bị chập chờn", None), ("bi chap chon", None),
    ("cháy ví rồi", None), ("ở nước ngoài về thấy công tơ", None),
    ("giật mình vì bị điện giật", SHOCK), ("dien giat minh xong lai bi dien giat", SHOCK),
    ("điện bị chập", FIRE), ("điện chập chờn rồi bị chập điện", FIRE), ("điện bị chập chờn, dây bị chập", FIRE),
    ("cháy túi mà công tơ cũng cháy", FIRE),
    ("ở nước ngoài về, nước tràn vào ổ cắm", WATER),
])
def test_a_harmless_phrase_does_not_hide_a_danger_named_after_it(text, kind):
    assert hazard_in(text) == kind
