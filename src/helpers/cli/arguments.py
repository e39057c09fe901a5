"""The command line speaks Chinese: argparse's own words, one-line errors, typed values.

argparse takes its texts (``usage:``, ``options:``, ``invalid int value``, ``the following
arguments are required``…) through gettext's ``_()`` at the moment it needs them; while a
:class:`ChineseArgumentParser` builds, formats or parses, that hook answers from
:data:`TRANSLATIONS`. An argument error is one line on stderr and exit status 2, like every other
bad input of the kit. Help pages keep their examples' line breaks.

>>> parser = ChineseArgumentParser(prog="zhaoshang")
>>> _ = parser.add_argument("--year", type=integer)
>>> print(parser.format_usage().strip())
用法：zhaoshang [-h] [--year YEAR]
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

__all__ = ["TRANSLATIONS", "ChineseArgumentParser", "ChineseHelpFormatter", "absolute_path", "chinese_texts", "integer"]

#: argparse's English texts (Python 3.11) and their Chinese.
TRANSLATIONS: dict[str, str] = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "invalid %(type)s value: %(value)r": "%(value)r 不是有效的%(type)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "忽略了多余的值 %r",
    "one of the arguments %s is required": "须给出参数 %s 之一",
    "unexpected option string: %s": "意外的选项：%s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有子命令 %(parser_name)r（可选：%(choices)s）",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
}


def _translate(text: str) -> str:
    return TRANSLATIONS.get(text, text)


def _translate_plural(singular: str, plural: str, count: int) -> str:
    return _translate(singular if count == 1 else plural)


@contextlib.contextmanager
def chinese_texts() -> Iterator[None]:
    """argparse's texts in Chinese while the block runs (argparse looks ``_`` up at each use)."""
    saved = argparse._, getattr(argparse, "ngettext", None)
    argparse._ = _translate
    if saved[1] is not None:
        argparse.ngettext = _translate_plural
    try:
        yield
    finally:
        argparse._ = saved[0]
        if saved[1] is not None:
            argparse.ngettext = saved[1]


class ChineseHelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Help pages in Chinese that keep the line breaks of descriptions and examples."""

    def __init__(self, prog: str, **kwargs: Any) -> None:
        kwargs.setdefault("max_help_position", 32)
        kwargs.setdefault("width", 100)
        super().__init__(prog, **kwargs)


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose texts are Chinese and whose errors are one line, exit status 2.

    ``more_help``: called when the help page is shown, its text is added after the epilog (so
    that listing the registered reports costs nothing unless ``--help`` is asked for).
    """

    def __init__(self, *args: Any, more_help: Callable[[], str] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        self.more_help = more_help
        with chinese_texts():
            super().__init__(*args, **kwargs)

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        with chinese_texts():
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with chinese_texts():
            return super().format_usage()

    def format_help(self) -> str:
        with chinese_texts():
            text = super().format_help()
        if self.more_help is not None:
            text = text.rstrip("\n") + "\n\n" + self.more_help().rstrip("\n") + "\n"
        return text

    def error(self, message: str) -> NoReturn:
        """One line on stderr (what is wrong and where to read more), exit status 2."""
        line = " ".join(str(message).split())
        self.exit(2, f"{self.prog}：错误：{line}（用法见 {self.prog} --help）\n")

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            sys.stderr.write(message)
        raise SystemExit(status)


def integer(text: str) -> int:
    """An integer argument (its name shows in the error: ``'abc' 不是有效的整数``)."""
    return int(text)


integer.__name__ = "整数"


def absolute_path(text: str) -> Path:
    """A path argument: relative paths mean the current directory, as a shell user expects; the
    result is absolute, so a notebook run elsewhere reads the same folder."""
    return Path(text).expanduser().resolve()


absolute_path.__name__ = "路径"
