"""Is it really the power company's? Pure rules that read what a customer forwards (a link, a phone number, a
bank account, a QR code's text, a message's words) against what is really the companies' (official.py), each
finding with its verdict; evn/services/scam_checks.py puts them together with the bills and the pay links."""
