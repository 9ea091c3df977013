namespace AcceptD.Core.Drivers;

/// <summary>A loadable module and its file relative to the module directory (may end in .ko, .ko.xz, .ko.zst, .ko.gz).</summary>
public sealed record ModuleFile(string Name, string RelativePath);
