"""``examsim completion bash|zsh|fish``: a shell completion script, made from the parser.

The script is generated from the same argparse parser that reads the command line, so
it always knows every command and option. What it completes: command names, options
(with their help in zsh and fish), choices (``--mode``, ``--from``, the shells), bank
ids for ``run BANK`` and ``--bank`` (asked at completion time from
``examsim completion --list-banks``, which prints the ids of the banks found in the usual
places), folders for ``--data-dir`` and files where a file is expected.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

from ..storage.catalog import discover
from ..storage.locations import data_dir as resolve_data_dir

SHELLS = ("bash", "zsh", "fish")
BANK_DESTS = {"bank"}
FILE_DESTS = {"output", "anki", "files", "paths"}
DIR_DESTS = {"data_dir"}


@dataclass(frozen=True)
class Arg:
    """One option or positional: what the shell should offer for its value."""

    flags: tuple[str, ...]  # empty for a positional
    help: str
    name: str  # what the value is: the metavar, else the destination
    value: str  # "none" (a flag), "free", "choices", "bank", "bank-or-file", "file", "dir"
    choices: tuple[str, ...] = ()
    many: bool = False  # a positional that takes several words


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    args: tuple[Arg, ...]


def run(args: argparse.Namespace) -> int:
    if args.list_banks:
        for bank_id in bank_ids(args.data_dir):
            print(bank_id)
        return 0
    if args.shell is None:
        from . import CommandError

        raise CommandError("say which shell: examsim completion bash|zsh|fish")
    sys.stdout.write(script(args.shell, args.parser))  # cli.build_parser() sets it
    return 0


def bank_ids(data_dir: str | None) -> list[str]:
    """The ids of the banks found in the usual places; nothing when that fails."""
    try:
        entries = discover(resolve_data_dir(data_dir))
    except Exception:  # completion must stay quiet: no bank ids is the worst case
        return []
    return sorted({entry.bank.id for entry in entries if entry.bank is not None})


def _value(action: argparse.Action, positional: bool, command: str) -> tuple[str, tuple[str, ...]]:
    if action.nargs == 0:
        return "none", ()
    if action.choices:
        return "choices", tuple(str(c) for c in action.choices)
    if action.dest in BANK_DESTS:
        return ("bank-or-file" if positional and command == "run" else "bank"), ()
    if action.dest in DIR_DESTS:
        return "dir", ()
    if action.dest in FILE_DESTS:
        return "file", ()
    return "free", ()


def _args(parser: argparse.ArgumentParser, command: str) -> tuple[Arg, ...]:
    found: list[Arg] = []
    for action in parser._actions:  # argparse has no public list of its actions
        if isinstance(action, argparse._SubParsersAction) or action.help == argparse.SUPPRESS:
            continue
        positional = not action.option_strings
        value, choices = _value(action, positional, command)
        many = positional and action.nargs in ("*", "+", argparse.REMAINDER)
        metavar = action.metavar if isinstance(action.metavar, str) else None
        name = " ".join((metavar or action.dest).replace("_", " ").lower().split())
        found.append(Arg(tuple(action.option_strings), _help(action), name, value, choices,
                         many))
    return tuple(found)


def _help(action: argparse.Action) -> str:
    text = action.help or ""
    if action.choices and not text:
        text = "one of " + ", ".join(str(c) for c in action.choices)
    return " ".join(text.replace("%(prog)s", "examsim").split())


def commands(parser: argparse.ArgumentParser) -> tuple[tuple[Arg, ...], tuple[Command, ...]]:
    """The top-level options, and every command with its arguments."""
    top = _args(parser, "")
    found: list[Command] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            for name, sub in action.choices.items():
                found.append(Command(name, " ".join(helps.get(name, "").split()),
                                     _args(sub, name)))
    return top, tuple(found)


def script(shell: str, parser: argparse.ArgumentParser) -> str:
    top, found = commands(parser)
    return {"bash": _bash, "zsh": _zsh, "fish": _fish}[shell](top, found)


# -- bash -------------------------------------------------------------------------------


def _bash_reply(arg: Arg) -> str:
    if arg.value == "choices":
        return f'COMPREPLY=($(compgen -W "{" ".join(arg.choices)}" -- "$cur"))'
    if arg.value == "bank":
        return 'COMPREPLY=($(compgen -W "$(_examsim_banks)" -- "$cur"))'
    if arg.value == "bank-or-file":
        return ('COMPREPLY=($(compgen -W "$(_examsim_banks)" -- "$cur") '
                '$(compgen -G "${cur}*.toml") $(compgen -G "${cur}*.json") '
                '$(compgen -d -- "$cur"))')
    if arg.value == "file":
        return 'COMPREPLY=($(compgen -f -- "$cur"))'
    if arg.value == "dir":
        return 'COMPREPLY=($(compgen -d -- "$cur"))'
    return "COMPREPLY=()"


def _bash(top: tuple[Arg, ...], found: tuple[Command, ...]) -> str:
    names = " ".join(c.name for c in found)
    top_flags = " ".join(f for a in top for f in a.flags)
    values: list[str] = []
    for command in found:
        for arg in command.args:
            if arg.flags and arg.value != "none":
                pattern = "|".join(f"{command.name}:{flag}" for flag in arg.flags)
                values.append(f"        {pattern}) {_bash_reply(arg)}; return ;;")
    for arg in top:
        if arg.flags and arg.value != "none":
            pattern = "|".join(f"*:{flag}" for flag in arg.flags)
            values.append(f"        {pattern}) {_bash_reply(arg)}; return ;;")
    options: list[str] = []
    positionals: list[str] = []
    for command in found:
        flags = " ".join(f for a in command.args for f in a.flags)
        options.append(f'        {command.name}) opts="{flags}" ;;')
        kinds = [a for a in command.args if not a.flags]
        if kinds:
            positionals.append(f"        {command.name}) {_bash_reply(kinds[0])} ;;")
    return f"""# examsim completion for bash. Load it with:
#   eval "$(examsim completion bash)"     (in ~/.bashrc)
_examsim_banks() {{
    examsim completion --list-banks 2>/dev/null
}}

_examsim() {{
    local cur prev cmd opts i
    cur="${{COMP_WORDS[COMP_CWORD]}}"
    prev=""
    (( COMP_CWORD > 0 )) && prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    cmd=""
    for ((i = 1; i < COMP_CWORD; i++)); do
        case "${{COMP_WORDS[i]}}" in
            {"|".join(c.name for c in found)}) cmd="${{COMP_WORDS[i]}}"; break ;;
        esac
    done
    case "$cmd:$prev" in
{chr(10).join(values)}
    esac
    if [[ "$cur" == -* ]]; then
        opts="{top_flags}"
        case "$cmd" in
{chr(10).join(options)}
        esac
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    if [[ -z "$cmd" ]]; then
        COMPREPLY=($(compgen -W "{names}" -- "$cur"))
        return
    fi
    case "$cmd" in
{chr(10).join(positionals)}
    esac
}}
complete -o filenames -F _examsim examsim
"""


# -- zsh --------------------------------------------------------------------------------


def _zsh_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _zsh_help(text: str) -> str:
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]") \
        .replace(":", "\\:")


def _zsh_action(arg: Arg) -> str:
    if arg.value == "choices":
        return "(" + " ".join(arg.choices) + ")"
    return {"bank": "_examsim_banks", "bank-or-file": "_examsim_bank_or_file",
            "file": "_files", "dir": "_files -/"}.get(arg.value, " ")


def _zsh_specs(args: tuple[Arg, ...]) -> list[str]:
    specs: list[str] = []
    position = 0
    for arg in args:
        name = arg.name.replace(":", " ").replace("\\", " ")
        if not arg.flags:
            position += 1
            where = "*" if arg.many else str(position)
            specs.append(_zsh_quote(f"{where}:{name}:{_zsh_action(arg)}"))
            continue
        exclusive = f"({' '.join(arg.flags)})" if len(arg.flags) > 1 else ""
        for flag in arg.flags:
            described = f"{exclusive}{flag}"
            if arg.value == "none":
                specs.append(_zsh_quote(f"{described}[{_zsh_help(arg.help)}]"))
            else:
                marker = "=" if flag.startswith("--") else "+"
                specs.append(_zsh_quote(
                    f"{described}{marker}[{_zsh_help(arg.help)}]:{name}:{_zsh_action(arg)}"))
    return specs


def _zsh(top: tuple[Arg, ...], found: tuple[Command, ...]) -> str:
    command_list = "\n".join(f"        {_zsh_quote(c.name + ':' + c.help.replace(':', ' -'))}"
                             for c in found)
    cases = []
    for command in found:
        specs = " \\\n                ".join(_zsh_specs(command.args))
        cases.append(f"            {command.name})\n                _arguments -s {specs}\n"
                     "                ;;")
    top_specs = " \\\n        ".join(_zsh_specs(top))
    return f"""#compdef examsim
# examsim completion for zsh. Load it with (after compinit):
#   source <(examsim completion zsh)     (in ~/.zshrc)
# or save it as _examsim in a folder of $fpath.

_examsim_banks() {{
    local -a banks
    banks=(${{(f)"$(examsim completion --list-banks 2>/dev/null)"}})
    _describe -t banks 'bank id' banks
}}

_examsim_bank_or_file() {{
    _alternative 'banks:bank id:_examsim_banks' 'files:bank file:_files -g "*.(toml|json)"'
}}

_examsim() {{
    local curcontext="$curcontext" state line
    typeset -A opt_args
    local -a commands
    commands=(
{command_list}
    )
    _arguments -C \\
        {top_specs} \\
        '1: :->command' \\
        '*:: :->args'
    case $state in
        command)
            _describe -t commands 'examsim command' commands
            ;;
        args)
            curcontext="${{curcontext%:*:*}}:examsim-$line[1]:"
            case $line[1] in
{chr(10).join(cases)}
            esac
            ;;
    esac
}}

if [[ "${{funcstack[1]}}" == "_examsim" ]]; then
    _examsim "$@"
else
    compdef _examsim examsim
fi
"""


# -- fish -------------------------------------------------------------------------------


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _fish_line(condition: str, arg: Arg) -> list[str]:
    parts = ["complete -c examsim", f"-n {_fish_quote(condition)}"]
    if arg.flags:
        for flag in arg.flags:
            parts.append(f"-l {flag[2:]}" if flag.startswith("--") else f"-s {flag[1:]}")
    if arg.value == "choices":
        parts.append(f"-x -a {_fish_quote(' '.join(arg.choices))}")
    elif arg.value == "bank":
        parts.append("-x -a '(examsim completion --list-banks 2>/dev/null)'")
    elif arg.value == "bank-or-file":
        parts.append("-x -a '(examsim completion --list-banks 2>/dev/null; "
                     "__fish_complete_suffix .toml; __fish_complete_suffix .json)'")
    elif arg.value == "file":
        parts.append("-r -F" if arg.flags else "-F")
    elif arg.value == "dir":
        parts.append("-x -a '(__fish_complete_directories)'")
    elif arg.value == "free" and arg.flags:
        parts.append("-x")
    elif arg.value == "free":
        return []
    if arg.help:
        parts.append(f"-d {_fish_quote(arg.help)}")
    return [" ".join(parts)]


def _fish(top: tuple[Arg, ...], found: tuple[Command, ...]) -> str:
    lines = [
        "# examsim completion for fish. Load it with:",
        "#   examsim completion fish > ~/.config/fish/completions/examsim.fish",
        "complete -c examsim -f",
    ]
    for command in found:
        lines.append(f"complete -c examsim -n __fish_use_subcommand -a {command.name} "
                     f"-d {_fish_quote(command.help)}")
    for arg in top:
        lines.extend(_fish_line("true", arg))
    for command in found:
        condition = f"__fish_seen_subcommand_from {command.name}"
        for arg in command.args:
            if arg.flags and arg.flags[0] in ("-h", "--help"):
                continue
            lines.extend(_fish_line(condition, arg))
    return "\n".join(lines) + "\n"
