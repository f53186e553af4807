using CallReview.Transcription.Audio;

namespace CallReview.Tests.Transcription.Audio;

public sealed class ChannelLayoutTests
{
    [Theory]
    [InlineData("mono", ChannelLayout.Mono)]
    [InlineData("agent-left", ChannelLayout.AgentLeft)]
    [InlineData(" Agent-Right ", ChannelLayout.AgentRight)]
    public void Parses_the_layout_names(string text, ChannelLayout expected)
    {
        Assert.Equal(expected, ChannelLayouts.Parse(text));
        Assert.Equal(text.Trim().ToLowerInvariant(), expected.ToText());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("stereo")]
    public void Rejects_anything_else(string? text)
    {
        Assert.False(ChannelLayouts.TryParse(text, out _));
        if (text is not null)
            Assert.Contains("agent-left", Assert.Throws<FormatException>(() => ChannelLayouts.Parse(text)).Message);
    }

    [Theory]
    [InlineData(2, ChannelLayout.AgentLeft, 0, 1)]
    [InlineData(2, ChannelLayout.AgentRight, 1, 0)]
    public void Stereo_puts_agent_and_customer_on_their_sides(int channels, ChannelLayout layout, int agent, int customer)
    {
        var roles = ChannelLayouts.Roles(channels, layout);

        Assert.Equal(new ChannelRoles(agent, customer), roles);
        Assert.False(roles.IsMixed);
    }

    [Theory]
    [InlineData(1, ChannelLayout.AgentLeft)]
    [InlineData(2, ChannelLayout.Mono)]
    [InlineData(3, ChannelLayout.AgentRight)]
    public void Mono_stereo_marked_mono_and_many_channels_are_one_mixed_track(int channels, ChannelLayout layout)
    {
        Assert.Equal(ChannelLayout.Mono, ChannelLayouts.ForChannels(channels, layout));
        Assert.True(ChannelLayouts.Roles(channels, layout).IsMixed);
    }
}
