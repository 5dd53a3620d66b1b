"""The ``/peerbot`` app commands: who is a moderator on Discord, each command as the engine's
command line, the nudge buttons' clicks."""

from __future__ import annotations

import logging
import inspect
from typing import Any

import discord
from discord import app_commands

from peerbot.actions import PrivateMessage, ReplyToModerator
from peerbot.events import Channel, Community, ModeratorCommand, NudgeFeedback
from peerbot.commands import DECLARED, Arg, Command, command_line
from peerbot.adapters.discord.inbound import PLATFORM

log = logging.getLogger("peerbot.discord")

FEEDBACK_THANKS = "Thanks, noted. Your answer helps tune peerbot for this community."
NOT_IN_SERVER = "peerbot's commands work inside a server, not in DMs."


class DiscordCommands:
    """The adapter's interaction half (mixed into ``DiscordAdapter``)."""

    # ------------------------------------------------------------- interactions
    def is_moderator(self, interaction: discord.Interaction) -> bool:
        """Manage Server (or Administrator), or one of the configured moderator roles."""
        if interaction.permissions.manage_guild or interaction.permissions.administrator:
            return True
        roles = getattr(interaction.user, "roles", ())
        return any(str(r.id) in self.moderator_roles or r.name.lower() in self.moderator_roles for r in roles)

    async def run_command(self, interaction: discord.Interaction, text: str) -> None:
        """A slash command as the engine's command line, answered only to the caller."""
        if interaction.guild is None:
            await interaction.response.send_message(NOT_IN_SERVER, ephemeral=True)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        event = ModeratorCommand(
            event_id=f"discord:cmd:{interaction.id}",
            community=self.community(interaction.guild),
            at=interaction.created_at,
            author=self.member(interaction.user),
            channel=self._policy_channel(interaction.channel) or Channel(id=str(interaction.channel_id)),
            text=text,
            is_moderator=self.is_moderator(interaction),
        )
        actions = await self.dispatch(event, interaction)
        if not any(isinstance(a, (ReplyToModerator, PrivateMessage)) for a in actions):
            await self._reply(interaction, "Done." if event.is_moderator else NOT_MODERATOR)

    async def on_feedback(self, interaction: discord.Interaction, verdict: str, guild_id: str, nudge_id: str) -> None:
        guild = self.client.get_guild(int(guild_id))
        community = Community(PLATFORM, guild_id, guild.name if guild else "")
        event = NudgeFeedback(
            event_id=f"discord:fb:{interaction.id}",
            community=community,
            at=interaction.created_at,
            member=self.member(interaction.user),
            nudge_id=nudge_id,
            verdict=verdict,  # type: ignore[arg-type]
        )
        actions = await self.dispatch(event, interaction)
        if not interaction.response.is_done():
            if not actions:
                await self._call("feedback ack", interaction.response.send_message, FEEDBACK_THANKS, ephemeral=True)
            else:
                await self._call("feedback ack", interaction.response.defer)

    async def _on_app_command_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        log.error("slash command failed: %s", type(getattr(error, "original", error)).__name__,
                  exc_info=getattr(error, "original", error))
        try:
            await self._reply(interaction, "Sorry, that didn't work. The error was logged for the operator.")
        except discord.HTTPException:
            pass


NOT_MODERATOR = "Only moderators (Manage Server, or a moderator role) can use peerbot's commands."


def _option_type(arg: Arg) -> Any:
    """The Discord option type for a declared argument."""
    if arg.kind == "number":
        return app_commands.Range[float, arg.low, arg.high]
    if arg.kind == "int":
        return app_commands.Range[int, int(arg.low or 0), int(arg.high or 2**31)]
    if arg.kind in ("on_off", "flag"):
        return bool
    if arg.kind in ("channel", "channel_id"):
        return discord.TextChannel
    if arg.kind == "role":
        return discord.Role
    if arg.kind == "choice":
        return app_commands.Choice[str]
    return app_commands.Range[str, 1, int(arg.high)] if arg.high else str


def _plain(arg: Arg, value: Any) -> Any:
    """An option's value as the command line writes it: a channel by name (or id), a role by
    name, a choice by its value."""
    if value is None:
        return None
    if arg.kind == "channel":
        return value.name
    if arg.kind == "channel_id":
        return str(value.id)  # by id: a renamed channel keeps working
    if arg.kind == "role":
        return value.name
    if arg.kind == "choice":
        return value.value
    return value


def _app_command(adapter: Any, command: Command, name: str, parent: app_commands.Group) -> None:
    """One declared command as a Discord app command whose options are its typed arguments."""

    async def callback(interaction: discord.Interaction, **values: Any) -> None:
        plain = {arg.name: _plain(arg, values.get(arg.name)) for arg in command.args}
        await adapter.run_command(interaction, command_line(command, plain))

    parameters = [inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                    annotation=discord.Interaction)]
    for arg in sorted(command.args, key=lambda a: not a.required):  # Discord lists required options first
        annotation = _option_type(arg)
        default = inspect.Parameter.empty if arg.required else (arg.default if arg.kind in ("int", "flag") else None)
        if not arg.required and default is None:
            annotation = annotation | None
        parameters.append(inspect.Parameter(arg.name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation,
                                            default=default))
    callback.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    described = {arg.name: arg.help for arg in command.args if arg.help}
    if described:
        app_commands.describe(**described)(callback)
    choices = {arg.name: [app_commands.Choice(name=label, value=value) for label, value in arg.choices]
               for arg in command.args if arg.choices}
    if choices:
        app_commands.choices(**choices)(callback)
    parent.add_command(app_commands.Command(name=name, description=command.description, callback=callback))


def build_command_group(adapter: Any) -> app_commands.Group:
    """The ``/peerbot`` app commands, generated from the declared commands (``peerbot.commands``).
    Each one becomes an engine command line; the engine decides, replies and writes the audit
    trail. The commands are hidden from members without Manage Server by default (server
    admins can grant them to a moderator role under Server Settings -> Integrations); the
    check in code (``is_moderator``) is what counts."""
    group = app_commands.Group(
        name="peerbot",
        description="Moderator tools for peerbot",
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )
    subgroups: dict[str, app_commands.Group] = {}
    for command in DECLARED:
        words = command.name.split()
        parent = group
        if len(words) == 2:
            if words[0] not in subgroups:
                about = command.summary or f"The {words[0]} commands"
                subgroups[words[0]] = app_commands.Group(
                    name=words[0], description=about[:1].upper() + about[1:], parent=group)
            parent = subgroups[words[0]]
        _app_command(adapter, command, words[-1], parent)
    return group
