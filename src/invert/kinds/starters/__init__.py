"""kinds/starters"""
