"""The one TOML file an admin writes, validated into frozen values with errors that name the key.

schema.py holds the values and their defaults, values.py the notations ("25MB", "5m", "20/s"), reader.py
the problem-collecting walk over the TOML tables, load.py and arrays.py the sections, model.py `[model]`.
Callers import from here."""

from postdesk.daemon.config.load import load_config
from postdesk.daemon.config.reader import ConfigError
from postdesk.daemon.config.schema import (
    LANGUAGES,
    AgentConfig,
    Config,
    DigestConfig,
    IPNetwork,
    Listen,
    MailboxConfig,
    RetentionConfig,
    ServiceConfig,
    SmtpInConfig,
    SmtpOutConfig,
)
from postdesk.daemon.config.values import parse_duration, parse_listen, parse_networks, parse_rate, parse_size

__all__ = ["LANGUAGES", "AgentConfig", "Config", "ConfigError", "DigestConfig", "IPNetwork", "Listen",
           "MailboxConfig", "RetentionConfig", "ServiceConfig", "SmtpInConfig", "SmtpOutConfig", "load_config",
           "parse_duration", "parse_listen", "parse_networks", "parse_rate", "parse_size"]
