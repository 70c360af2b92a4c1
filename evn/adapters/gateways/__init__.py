"""Payment-gateway adapters (VNPay, MoMo, ZaloPay) behind one small interface."""
