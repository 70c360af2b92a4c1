"""The report laid out once — sections of tables, a chart and the definition under them — for every writer.

Markdown, HTML and the web page write the same Document, so a figure cannot read differently in
two of them. A month without data says so in its row; a range without any says so at the top.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from evn.adapters import report_queries as q
from evn.domain.formats import format_datetime
from evn.domain.operations_report import share
from evn.domain.time import to_vietnam
from evn.report.formatting import NO_DATA, decimal, money, number, percent
from evn.services.operations_report import Report, month_label

EMPTY_MONTH = "không có dữ liệu"


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]


@dataclass
class Section:
    key: str
    title: str
    definition: str
    tables: list[Table] = field(default_factory=list)
    chart: str | None = None  # a name from evn/report/charts.py
    note: str = ""


@dataclass
class Document:
    title: str
    subtitle: str
    note: str
    sections: list[Section]


def document(report: Report) -> Document:
    generated = format_datetime(to_vietnam(report.generated_at))
    note = "Không có dữ liệu trong kỳ này." if report.empty else ""
    return Document(
        title=f"Báo cáo vận hành: thanh toán không dùng tiền mặt và dịch vụ trực tuyến, {report.months}",
        subtitle=f"Lập lúc {generated} (giờ Việt Nam) từ cơ sở dữ liệu nghiệp vụ"
                 + (" và kho hội thoại của Rasa." if report.tracker_store else "."),
        note=note,
        sections=[
            _targets(report), _cashless(report), _channels(report), _links(report), _intake(report),
            _types(report), _assistant(report), _topics(report), _notices(report), _usage(report), _scams(report),
            _restorations(report), _satisfaction(report),
        ],
    )


def _months(report: Report) -> list[Any]:
    return [*report.keys, q.ALL]


def _row(key: Any, has_data: bool, cells: list[str], width: int) -> list[str]:
    if has_data or key == q.ALL:
        return [month_label(key), *cells]
    return [month_label(key), EMPTY_MONTH, *([""] * (width - 2))]


def _targets(report: Report) -> Section:
    rows = []
    for target in report.targets:
        reached = {True: "Đạt", False: "Chưa đạt", None: NO_DATA}[target.reached]
        rows.append([
            target.label, percent(target.ours), percent(target.latest),
            NO_DATA if target.target is None else percent(target.target, 0), reached,
            NO_DATA if target.evn is None else f"{percent(target.evn)} ({target.evn_as_of})",
        ])
    texts = [target.text for target in report.targets if target.text]
    last = month_label(report.keys[-1])
    return Section("targets", "Tiến độ so với mục tiêu", report.book.definitions["targets"],
                   [Table(["Chỉ tiêu", "Cả kỳ", f"Tháng {last}", "Mục tiêu", "Kết quả", "EVN đã công bố"], rows)],
                   note="Mục tiêu: " + "; ".join(texts) + "." if texts else "")


def _cashless(report: Report) -> Section:
    header = ["Tháng", "KH có thanh toán", "KH không dùng tiền mặt", "Tỷ lệ KH", "Tổng tiền thanh toán",
              "Tiền không dùng tiền mặt", "Tỷ lệ tiền"]
    rows = []
    for key in _months(report):
        month = report.payments[key]
        rows.append(_row(key, month.payments > 0, [
            number(month.payers), number(month.cashless_payers), percent(month.customer_share),
            money(month.amount), money(month.cashless_amount), percent(month.amount_share)], len(header)))
    definition = (f"{report.book.definitions['cashless_customers']} {report.book.definitions['cashless_amount']}"
                  f" Kênh tiền mặt: {', '.join(report.book.payment_name(c) for c in report.book.cash_channels)}.")
    return Section("cashless", "Thanh toán không dùng tiền mặt", definition, [Table(header, rows)], chart="cashless")


def _channels(report: Report) -> Section:
    whole = report.payments[q.ALL].amount
    rows = []
    for channel, months in report.channels.items():
        count, amount = months.get(q.ALL, (0, 0))
        kind = "Tiền mặt" if channel in report.book.cash_channels else "Không dùng tiền mặt"
        rows.append([report.book.payment_name(channel), kind, number(count), money(amount),
                     percent(share(amount, whole))])
    if not rows:
        rows.append([EMPTY_MONTH, "", "", "", ""])
    return Section("channels", "Thanh toán theo kênh", report.book.definitions["payments_by_channel"],
                   [Table(["Kênh", "Loại", "Số giao dịch", "Số tiền", "Tỷ trọng tiền"], rows)], chart="channels")


def _links(report: Report) -> Section:
    header = ["Tháng", "Đã gửi", "Đã mở", "Tỷ lệ mở", "Đã trả", "Tỷ lệ trả", "Đến khi trả (trung vị)"]
    rows = []
    for key in _months(report):
        links = report.links[key]
        median = links.to_payment_days.median if links.to_payment_days else None
        rows.append(_row(key, links.sent > 0, [
            number(links.sent), number(links.opened), percent(share(links.opened, links.sent)),
            number(links.paid), percent(share(links.paid, links.sent)),
            decimal(None if median is None else median * 24, "giờ")], len(header)))
    return Section("links", "Đường dẫn thanh toán trợ lý ảo gửi", report.book.definitions["chatbot_links"],
                   [Table(header, rows)])


def _intake(report: Report) -> Section:
    book = report.book
    seen = {code for month in report.intake.values() for code in month.by_channel}
    channels = [code for code in book.intake_channels if code in seen] + sorted(seen - set(book.intake_channels))
    assistant = tuple(code for code, channel in book.intake_channels.items() if channel.assistant)
    header = ["Tháng", *(book.intake_name(code) for code in channels), "Tổng", "Ngoài quầy", "Qua trợ lý ảo"]
    rows = []
    for key in _months(report):
        month = report.intake[key]
        rows.append(_row(key, month.total > 0, [
            *(number(month.by_channel.get(code, 0)) for code in channels), number(month.total),
            percent(share(month.off_counter(book.counter_channels), month.total)),
            percent(share(month.via_assistant(assistant), month.total))], len(header)))
    return Section("intake", "Yêu cầu dịch vụ theo kênh tiếp nhận", book.definitions["requests_by_intake"],
                   [Table(header, rows)], chart="intake")


def _types(report: Report) -> Section:
    header = ["Loại yêu cầu", "Cam kết (ngày làm việc)", "Tiếp nhận", "Hoàn thành", "Trung vị", "Phân vị 90",
              "Đúng hạn", "Còn mở, quá hạn", "Còn mở, chưa đến hạn", "Đã hủy"]
    rows = []
    for kind in report.types:
        f = kind.figures
        rows.append([
            kind.name, number(kind.working_days), number(f.received), number(f.done),
            decimal(f.days.median if f.days else None, "ngày"), decimal(f.days.p90 if f.days else None, "ngày"),
            percent(kind.on_time_share), number(f.open_overdue), number(f.open_not_due), number(f.cancelled)])
    if not rows:
        rows.append([EMPTY_MONTH, *([""] * (len(header) - 1))])
    return Section("types", "Thời gian giải quyết theo loại yêu cầu", report.book.definitions["request_types"],
                   [Table(header, rows)])


def _assistant(report: Report) -> Section:
    header = ["Tháng", "Hội thoại", "Tin khách gửi", "Tự giải quyết", "Chuyển nhân viên", "Chưa hiểu",
              "Yêu cầu gặp nhân viên", "Nhân viên đã nhận", "Chờ nhân viên (trung vị)"]
    rows = []
    for key in _months(report):
        month = report.assistant[key]
        talks = month.conversations
        wait = month.handoffs.wait_minutes.median if month.handoffs.wait_minutes else None
        has_data = bool((talks and talks.messages) or month.handoffs.requested)
        rows.append(_row(key, has_data, [
            number(talks.conversations) if talks else NO_DATA, number(talks.messages) if talks else NO_DATA,
            percent(month.containment), percent(month.handoff_rate), percent(month.fallback_rate),
            number(month.handoffs.requested), number(month.handoffs.taken), decimal(wait, "phút")], len(header)))
    missing = ("Không đọc được kho hội thoại của Rasa lúc lập báo cáo" if report.tracker_unreadable
               else "Chưa đọc được kho hội thoại của Rasa (đặt TRACKER_STORE_URL)")
    note = "" if report.tracker_store else (
        f"{missing}: số hội thoại và các tỷ lệ để trống; số yêu cầu gặp nhân viên lấy từ cơ sở dữ liệu nghiệp vụ.")
    return Section("assistant", "Trợ lý ảo", report.book.definitions["assistant"], [Table(header, rows)],
                   chart="assistant", note=note)


def _topics(report: Report) -> Section:
    tables = []
    for title, topics in (("Trước khi trợ lý ảo chưa hiểu", report.fallback_topics),
                          ("Trước khi chuyển nhân viên", report.handoff_topics)):
        rows = [[intent, number(count)] for intent, count in topics or []]
        tables.append(Table([f"Ý định ({title.lower()})", "Số lần"], rows or [[EMPTY_MONTH, ""]]))
    return Section("topics", "Ý định hay dẫn đến chưa hiểu hoặc chuyển nhân viên",
                   report.book.definitions["assistant_topics"], tables)


def _notices(report: Report) -> Section:
    header = ["Tháng", "Đã tạo", "Đã gửi tới", "Không gửi được", "Dẫn đến thanh toán"]
    rows = []
    for key in _months(report):
        n = report.assistant[key].notices
        rows.append(_row(key, n.generated > 0, [number(n.generated), number(n.delivered), number(n.not_delivered),
                                               number(n.led_to_payment)], len(header)))
    return Section("notices", "Thông báo chủ động", report.book.definitions["notices"], [Table(header, rows)])


def _usage(report: Report) -> Section:
    header = ["Tháng", "Cảnh báo đã đặt", "Cảnh báo đã gửi", "Hóa đơn được giải thích trước khi hỏi",
              "Hội thoại hỏi về hóa đơn", "Trả lời không cần nhân viên"]
    rows = []
    for key in _months(report):
        month = report.assistant[key]
        usage, asked = month.usage, month.bill_questions
        has_data = bool(usage.alerts_set or usage.alerts_sent or usage.bills_explained
                        or (asked and asked.conversations))
        rows.append(_row(key, has_data, [
            number(usage.alerts_set), number(usage.alerts_sent), number(usage.bills_explained),
            number(asked.conversations) if asked else NO_DATA, percent(asked.share) if asked else NO_DATA],
            len(header)))
    return Section("usage", "Sản lượng hằng ngày, cảnh báo và hóa đơn tăng", report.book.definitions["usage"],
                   [Table(header, rows)])


def _scams(report: Report) -> Section:
    months = _months(report)
    header = ["Tháng", "Lượt kiểm tra", "Không phải của điện lực", "Đúng của điện lực", "Chưa kiểm tra được",
              "Có ảnh"]
    rows = []
    for key in months:
        s = report.scams[key]
        rows.append(_row(key, s.checks > 0, [number(s.checks), number(s.not_companys), number(s.companys),
                                            number(s.could_not_check), number(s.with_picture)], len(header)))
    tables = [Table(header, rows)]
    if report.scam_patterns:
        by_pattern = sorted(report.scam_patterns.items(), key=lambda item: (-item[1].get(q.ALL, 0), item[0]))
        tables.append(Table(["Dấu hiệu", *map(month_label, months)], [
            [report.book.scam_pattern_name(pattern), *(number(counts.get(key, 0)) for key in months)]
            for pattern, counts in by_pattern]))
    return Section("scams", "Kiểm tra lừa đảo mạo danh điện lực", report.book.definitions["scams"], tables)


def _restorations(report: Report) -> Section:
    """How long the power was off in unplanned outages: per month, then per cause over the range."""
    header = ["Tháng", "Sự cố đã khôi phục", "Thời gian khôi phục (trung vị)", "Phân vị 90"]
    rows = []
    for key in _months(report):
        r = report.restorations[key]
        rows.append(_row(key, r.count > 0, [number(r.count), decimal(r.median, "giờ"), decimal(r.p90, "giờ")],
                         len(header)))
    by_cause = sorted(report.restorations_by_cause.items(), key=lambda item: (-item[1].count, item[0]))
    causes = [[report.book.cause_name(cause), number(r.count), decimal(r.median, "giờ"), decimal(r.p90, "giờ")]
              for cause, r in by_cause] or [[EMPTY_MONTH, "", "", ""]]
    return Section("restorations", "Sự cố mất điện: thời gian khôi phục", report.book.definitions["restorations"],
                   [Table(header, rows), Table(["Nguyên nhân", "Sự cố đã khôi phục", "Trung vị", "Phân vị 90"],
                                               causes)])


def _score(figures: q.RatingFigures) -> str:
    """"4,2 / 5 (12 lượt)": the average and how many ratings it is of."""
    if not figures.rated:
        return NO_DATA
    return f"{decimal(figures.average, '/ 5', 2)} ({number(figures.rated)} lượt)"


def _satisfaction(report: Report) -> Section:
    """How the customers felt: per month, then the rating per topic and per channel in each month, and how many of
    the rated conversations the assistant handled without a person."""
    months = _months(report)
    header = ["Tháng", "Lượt hỏi", "Lượt chấm", "Tỷ lệ trả lời", "Điểm trung bình", "Hài lòng (4–5)",
              "Chưa hài lòng (1–2)", "Gọi lại đã đăng ký", "Trợ lý tự xử lý (trong lượt chấm)",
              "Điểm khi trợ lý tự xử lý"]
    rows = []
    for key in months:
        r = report.ratings[key]
        rows.append(_row(key, r.asked > 0, [
            number(r.asked), number(r.rated), percent(share(r.rated, r.asked)), decimal(r.average, "/ 5", 2),
            percent(share(r.satisfied, r.rated)), percent(share(r.low, r.rated)), number(r.callbacks),
            percent(share(r.rated_contained, r.rated)), decimal(r.contained_average, "/ 5", 2)], len(header)))
    tables = [Table(header, rows)]
    for label, groups, name in (("Chủ đề", report.ratings_by_topic, report.book.topic_name),
                                ("Kênh", report.ratings_by_channel,
                                 lambda code: report.book.intake_name(report.book.intake_of(code)))):
        ordered = sorted(groups.items(), key=lambda item: (-item[1].get(q.ALL, q.NO_RATINGS).rated, item[0]))
        tables.append(Table([label, *map(month_label, months)], [
            [name(code), *(_score(by_month.get(key, q.NO_RATINGS)) for key in months)] for code, by_month in ordered]
            or [[EMPTY_MONTH, *([""] * len(months))]]))
    return Section("satisfaction", "Mức độ hài lòng của khách hàng", report.book.definitions["satisfaction"], tables)
