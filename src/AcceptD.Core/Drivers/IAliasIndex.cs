namespace AcceptD.Core.Drivers;

/// <summary>An index of alias patterns (modules.alias, modules.builtin.alias, modules.symbols), from the text file or the .bin.</summary>
internal interface IAliasIndex
{
    /// <summary>Pattern and module of every pattern that matches the text (fnmatch), in the index's order.</summary>
    IReadOnlyList<(string Pattern, string Module)> Match(string text);

    /// <summary>Every module the index names.</summary>
    IEnumerable<string> AllModules();
}

/// <summary>An alias index answered from kmod's trie, in kmod's order.</summary>
internal sealed class BinaryAliasIndex(KmodIndex index) : IAliasIndex
{
    public IReadOnlyList<(string Pattern, string Module)> Match(string text) =>
        index.SearchWild(text).Select(v => (v.Key, ModuleName.Normalise(v.Value))).ToArray();

    public IEnumerable<string> AllModules() => index.All().Select(v => ModuleName.Normalise(v.Value));
}
