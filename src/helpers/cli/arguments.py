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
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

from helpers.normalize import display_width

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


#: A section heading of a help page (argparse appends an ASCII colon to it).
_SECTION_HEADING = re.compile(r"^(\S[^\n]*?):$", re.MULTILINE)


#: Units of wrapping: a run of Latin letters, digits and ASCII punctuation, or one other character.
_TOKEN = re.compile(r"[!-~]+|.", re.DOTALL)
_NO_LINE_START = set("）】」』，。；：、！？》〉”’)]},.;:!?")


def _translate(text: str) -> str:
    return TRANSLATIONS.get(text, text)


def _translate_plural(singular: str, plural: str, count: int) -> str:
    return _translate(singular if count == 1 else plural)


@contextlib.contextmanager
def chinese_texts() -> Iterator[None]:
    """argparse's texts in Chinese while the block runs (argparse looks ``_`` up at each use)."""
    module: Any = argparse  # argparse's private gettext hooks are not in its stub
    saved = module._, getattr(module, "ngettext", None)
    module._ = _translate
    if saved[1] is not None:
        module.ngettext = _translate_plural
    try:
        yield
    finally:
        module._ = saved[0]
        if saved[1] is not None:
            module.ngettext = saved[1]


class ChineseHelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Help pages in Chinese that keep the line breaks of descriptions and examples; columns are
    measured in display width (a Chinese character takes two columns), so the help texts line up."""

    def __init__(self, prog: str, **kwargs: Any) -> None:
        kwargs.setdefault("max_help_position", 30)
        kwargs.setdefault("width", 100)
        super().__init__(prog, **kwargs)

    def add_argument(self, action: argparse.Action) -> None:
        if action.help is not argparse.SUPPRESS:
            invocations = [self._format_action_invocation(action)]
            invocations += [self._format_action_invocation(sub) for sub in self._iter_indented_subactions(action)]
            self._action_max_length = max(self._action_max_length, max(map(display_width, invocations)) + self._current_indent)
            self._add_item(self._format_action, [action])

    def _split_lines(self, text: str, width: int) -> list[str]:
        """Wrap at ``width`` display columns: between Chinese characters, or at spaces and
        before a Latin word; closing punctuation never starts a line."""
        lines, line = [], ""
        for token in _TOKEN.findall(" ".join(text.split())):
            if line and display_width(line + token) > width and token[0] not in _NO_LINE_START:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
        return [*lines, line] if line else lines

    def _format_action(self, action: argparse.Action) -> str:
        help_position = min(self._action_max_length + 2, self._max_help_position)
        help_width = max(self._width - help_position, 11)
        action_width = help_position - self._current_indent - 2
        header = self._format_action_invocation(action)
        indent = " " * self._current_indent
        if isinstance(action, argparse._SubParsersAction) and not action.help:  # noqa: SLF001
            # the group of commands: list the commands, not a line with the group's own metavar
            parts = []
            indent_first = 0
        elif not action.help:
            parts = [f"{indent}{header}\n"]
            indent_first = 0
        elif display_width(header) <= action_width:
            parts = [f"{indent}{header}{' ' * (action_width - display_width(header))}  "]
            indent_first = 0
        else:
            parts = [f"{indent}{header}\n"]
            indent_first = help_position
        help_text = self._expand_help(action) if action.help and action.help.strip() else ""
        if help_text:
            help_lines = self._split_lines(help_text, help_width)
            parts.append(" " * indent_first + help_lines[0] + "\n")
            parts.extend(" " * help_position + line + "\n" for line in help_lines[1:])
        elif parts and not parts[0].endswith("\n"):
            parts.append("\n")
        parts.extend(self._format_action(sub) for sub in self._iter_indented_subactions(action))
        return self._join_parts(parts)


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

    def parse_args(self, args: Any = None, namespace: Any = None) -> Any:
        with chinese_texts():
            return super().parse_args(args, namespace)

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        with chinese_texts():
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with chinese_texts():
            return super().format_usage()

    def format_help(self) -> str:
        with chinese_texts():
            text = _SECTION_HEADING.sub(r"\1：", super().format_help())  # "选项:" → "选项："
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
