from bot.demo import seed_demo

__all__ = ["seed_demo"]
