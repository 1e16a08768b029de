"""kinds/experiments"""
