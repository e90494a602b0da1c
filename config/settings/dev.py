"""Embedded development default: SQLite under var/, eager tasks, DEBUG on."""

from config import env
from config.settings.base import *  # noqa: F403

DEBUG = env.get_bool("DEBUG", True)
