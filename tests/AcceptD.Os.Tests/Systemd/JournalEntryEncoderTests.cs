using System.Text;
using AcceptD.Os.Systemd;

namespace AcceptD.Os.Tests.Systemd;

public sealed class JournalEntryEncoderTests
{
    [Fact]
    public void Encodes_plain_and_binary_fields_exactly()
    {
        var bytes = JournalEntryEncoder.Encode([new("A", "1"), new("B", "x\ny")]);

        Assert.Equal("A=1\nB\n"u8.ToArray().Concat(new byte[] { 3, 0, 0, 0, 0, 0, 0, 0 }).Concat("x\ny\n"u8.ToArray()), bytes);
    }

    [Theory]
    [InlineData("_PID")]
    [InlineData("lower")]
    [InlineData("1ST")]
    [InlineData("")]
    [InlineData("WITH-DASH")]
    public void Rejects_names_journald_would_drop(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => JournalEntryEncoder.Encode([new(name, "v")]));
        Assert.Contains($"'{name}'", error.Message);
    }

    [Fact]
    public void Field_names_are_upper_cased_sanitised_and_cut_to_64()
    {
        Assert.Equal("ACCEPTD_DEVICE", JournalEntryEncoder.FieldName("ACCEPTD_", "Device"));
        Assert.Equal("ACCEPTD_SOURCE_CONTEXT_X", JournalEntryEncoder.FieldName("ACCEPTD_", "Source.Context-x"));
        var cut = JournalEntryEncoder.FieldName("ACCEPTD_", new string('a', 100));
        Assert.Equal(64, cut.Length);
        Assert.True(JournalEntryEncoder.IsValidFieldName(cut));
        Assert.Equal(Encoding.ASCII.GetByteCount(cut), cut.Length);
    }
}
