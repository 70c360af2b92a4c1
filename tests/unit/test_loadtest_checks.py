"""The load test's answer checks: a customer's own earlier requests are not another conversation's."""
from bench.loadtest.simulation import RUN_DAY, Conversation, Customer, problems_of


def test_a_status_lists_the_customers_own_earlier_requests_and_flags_a_ticket_filed_elsewhere_today():
    customer = Customer("PE03000000002", "0903000002", "Khách thử", {202610: 500_000, 202609: 400_000}, {})
    conversation = Conversation("load-1", customer, "1.2.3.4", pays=False, tickets=[f"YC-{RUN_DAY}-0003"])
    own = f"Dạ, các yêu cầu của anh/chị:\n- YC-{RUN_DAY}-0003: Kiểm định công tơ\n- YC-20260516-0001: Di dời công tơ"
    assert problems_of("status", [{"text": own}], conversation) == []
    crossed = own + f"\n- YC-{RUN_DAY}-0009: Kiểm định công tơ"
    assert problems_of("status", [{"text": crossed}], conversation) == [
        f"another conversation's ticket ['YC-{RUN_DAY}-0009']"]
