"""Test doubles of what is outside: a TCP relay that can be cut, a customer paying through the VNPay simulator."""
