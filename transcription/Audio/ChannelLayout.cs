using System.Diagnostics.CodeAnalysis;

namespace CallReview.Transcription.Audio;

/// <summary>How a call's speakers sit on its channels. Only a two-channel recording can separate agent and customer.</summary>
public enum ChannelLayout
{
    /// <summary>One mixed track: a mono recording, a stereo one whose sides aren't one speaker each, or more than two channels.</summary>
    Mono,
    /// <summary>Agent on channel 0 (left), customer on channel 1 (right); the default for stereo.</summary>
    AgentLeft,
    /// <summary>Agent on channel 1 (right), customer on channel 0 (left).</summary>
    AgentRight,
}

/// <summary>Which channel each speaker is on; both null for one mixed track.</summary>
public readonly record struct ChannelRoles(int? AgentChannel, int? CustomerChannel)
{
    public bool IsMixed => AgentChannel is null;
}

public static class ChannelLayouts
{
    public const string MonoText = "mono";
    public const string AgentLeftText = "agent-left";
    public const string AgentRightText = "agent-right";

    /// <summary>Parses "mono", "agent-left" or "agent-right" (case and surrounding spaces ignored).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out ChannelLayout layout)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case MonoText: layout = ChannelLayout.Mono; return true;
            case AgentLeftText: layout = ChannelLayout.AgentLeft; return true;
            case AgentRightText: layout = ChannelLayout.AgentRight; return true;
            default: layout = default; return false;
        }
    }

    public static ChannelLayout Parse(string text) => TryParse(text, out var layout)
        ? layout
        : throw new FormatException($"Unknown channel layout \"{text}\"; expected {MonoText}, {AgentLeftText} or {AgentRightText}.");

    public static string ToText(this ChannelLayout layout) => layout switch
    {
        ChannelLayout.Mono => MonoText,
        ChannelLayout.AgentLeft => AgentLeftText,
        ChannelLayout.AgentRight => AgentRightText,
        _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, null),
    };

    /// <summary>The layout a recording with <paramref name="channels"/> channels really gets: the requested one for stereo, otherwise mono (one mixed track).</summary>
    public static ChannelLayout ForChannels(int channels, ChannelLayout requested) => channels == 2 ? requested : ChannelLayout.Mono;

    /// <summary>Which channel is the agent's and which the customer's.</summary>
    public static ChannelRoles Roles(int channels, ChannelLayout requested) => ForChannels(channels, requested) switch
    {
        ChannelLayout.AgentLeft => new ChannelRoles(0, 1),
        ChannelLayout.AgentRight => new ChannelRoles(1, 0),
        _ => new ChannelRoles(null, null),
    };
}
