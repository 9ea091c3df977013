using AcceptD.Core.Measurement;

namespace AcceptD.Core.Tests.Measurement;

/// <summary>RFC 8785's rules for the kinds we emit: §3.2.2.2 string escaping and §3.2.3 key order.</summary>
public sealed class CanonicalJsonTests
{
    [Fact]
    public void EscapesOnlyQuoteBackslashAndControlsWithShortFormsWhereTheyExist() =>
        Assert.Equal("\"\\\"\\\\\\b\\t\\n\\f\\r\\u0000\\u001f/\u007f\u00e9\u20ac\ud83d\ude00\"",
            CanonicalJson.Serialize("\"\\\b\t\n\f\r\u0000\u001f/\u007f\u00e9\u20ac\ud83d\ude00"));

    [Fact]
    public void SortsKeysByUtf16CodeUnitsRecursively()
    {
        // RFC 8785 §3.2.3's example keys: "\r", "1", "\u0080", "\u00f6", "\u20ac", "\ud83d\ude00", "\ufb33" in that order
        // (the emoji's high surrogate 0xD83D sorts before 0xFB33 although its code point is larger).
        var keys = new[] { "\u20ac", "\r", "\ufb33", "1", "\ud83d\ude00", "\u0080", "\u00f6" };
        var map = keys.ToDictionary(k => k, object? (k) => (long)k.Length) as IReadOnlyDictionary<string, object?>;

        Assert.Equal("{\"\\r\":1,\"1\":1,\"\u0080\":1,\"\u00f6\":1,\"\u20ac\":1,\"\ud83d\ude00\":2,\"\ufb33\":1}", CanonicalJson.Serialize(map));
        Assert.Equal("{\"a\":[{\"b\":null,\"c\":true}],\"b\":-7}", CanonicalJson.Serialize(new Dictionary<string, object?>
        {
            ["b"] = -7L,
            ["a"] = new List<object?> { new Dictionary<string, object?> { ["c"] = true, ["b"] = null } },
        }));
    }

    [Fact]
    public void RefusesLoneSurrogatesAndFloats()
    {
        Assert.Throws<ArgumentException>(() => CanonicalJson.Serialize("\ud83d"));
        Assert.Throws<ArgumentException>(() => CanonicalJson.Serialize("x\ude00"));
        Assert.Throws<ArgumentException>(() => CanonicalJson.Serialize(1.5));
    }
}
