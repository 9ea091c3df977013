using AcceptD.Core.Policy;

namespace AcceptD.Core.Tests.Policy;

public class PolicyLoaderTests
{
    private static readonly string[] Dirs = ["/etc/acceptd/rules.d", "/run/acceptd/rules.d", "/usr/lib/acceptd/rules.d"];

    [Fact]
    public void Standard_directories_are_etc_run_usr_lib_in_that_order() =>
        Assert.Equal(Dirs, PolicyLoader.StandardDirectories);

    [Fact]
    public void Concatenates_rules_files_sorted_by_name_across_directories()
    {
        var files = new PolicyFiles()
            .File("/usr/lib/acceptd/rules.d/50-default.rules", "allow bus=virtio\ndefault deny")
            .File("/etc/acceptd/rules.d/60-local.rules", "allow bus=platform")
            .File("/run/acceptd/rules.d/10-early.rules", "ignore bus=cpu")
            .File("/etc/acceptd/rules.d/README", "not a rules file")
            .File("/etc/acceptd/rules.d/.rules", "wat");
        var result = PolicyLoader.Load(files, Dirs);
        Assert.Empty(result.Diagnostics);
        var policy = result.Policy!;
        Assert.Equal(["/run/acceptd/rules.d/10-early.rules", "/usr/lib/acceptd/rules.d/50-default.rules", "/etc/acceptd/rules.d/60-local.rules"], policy.Files);
        Assert.Equal(["ignore bus=cpu", "allow bus=virtio", "allow bus=platform"], policy.Rules.Select(r => r.Text));
        Assert.Equal("default deny", policy.Default.Text);
    }

    [Fact]
    public void A_file_in_an_earlier_directory_masks_the_same_name_later()
    {
        var files = new PolicyFiles()
            .File("/usr/lib/acceptd/rules.d/50-default.rules", "allow bus=virtio\ndefault deny")
            .File("/etc/acceptd/rules.d/50-default.rules", "deny bus=virtio\ndefault ignore");
        var policy = PolicyLoader.Load(files, Dirs).Policy!;
        Assert.Equal(["/etc/acceptd/rules.d/50-default.rules"], policy.Files);
        Assert.Equal(Verdict.Deny, policy.Rules.Single().Target);
    }

    [Fact]
    public void An_empty_file_or_a_link_to_dev_null_masks_without_rules()
    {
        var files = new PolicyFiles()
            .File("/usr/lib/acceptd/rules.d/50-default.rules", "allow bus=virtio")
            .File("/usr/lib/acceptd/rules.d/60-more.rules", "allow bus=pci")
            .File("/usr/lib/acceptd/rules.d/70-last.rules", "default deny")
            .Link("/etc/acceptd/rules.d/50-default.rules", "/dev/null")
            .File("/run/acceptd/rules.d/60-more.rules", "");
        var policy = PolicyLoader.Load(files, Dirs).Policy!;
        Assert.Equal(["/usr/lib/acceptd/rules.d/70-last.rules"], policy.Files);
        Assert.Empty(policy.Rules);
    }

    [Fact]
    public void No_default_anywhere_means_default_deny_with_a_warning()
    {
        var result = PolicyLoader.FromSources([("a.rules", "allow bus=virtio")]);
        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal("warning: no 'default' line in any policy file: using 'default deny'", warning.ToString());
        Assert.Equal(Verdict.Deny, result.Policy!.Default.Target);
        Assert.True(result.Policy.Default.IsDefault);
    }

    [Fact]
    public void No_files_at_all_is_an_empty_deny_all_policy()
    {
        var result = PolicyLoader.Load(new PolicyFiles(), Dirs);
        Assert.Empty(result.Policy!.Rules);
        Assert.Equal(Verdict.Deny, result.Policy.Default.Target);
        Assert.False(result.HasErrors);
    }

    [Fact]
    public void More_than_one_default_across_files_is_an_error()
    {
        var result = PolicyLoader.FromSources([("a.rules", "default deny"), ("b.rules", "\ndefault allow")]);
        Assert.Null(result.Policy);
        Assert.Equal("b.rules:2:1: more than one 'default' (first at a.rules:1)", Assert.Single(result.Diagnostics).ToString());
    }

    [Fact]
    public void The_default_applies_after_every_rule_wherever_it_is_written()
    {
        var policy = PolicyTestKit.Load("default allow\ndeny bus=usb");
        var decision = new PolicyEvaluator(policy).Decide(PolicyTestKit.Facts(PolicyTestKit.Plain("usb", "1-1")));
        Assert.Equal(Verdict.Deny, decision.Verdict);
    }

    [Fact]
    public void An_error_in_any_file_loads_nothing()
    {
        var result = PolicyLoader.FromSources([("a.rules", "allow bus=virtio\ndefault deny"), ("b.rules", "allow bus=")]);
        Assert.Null(result.Policy);
        Assert.Equal("b.rules:1:11: empty value for 'bus'", Assert.Single(result.Diagnostics).ToString());
    }

    [Fact]
    public void Unreadable_explicit_file_is_an_error()
    {
        var result = PolicyLoader.LoadFiles(new PolicyFiles(), ["/tmp/missing.rules"]);
        Assert.Null(result.Policy);
        Assert.Equal("/tmp/missing.rules: cannot read policy file", result.Diagnostics.First().ToString());
    }

    [Fact]
    public void Explicit_files_are_ordered_by_file_name()
    {
        var files = new PolicyFiles().File("/b/10-x.rules", "allow bus=a").File("/a/20-y.rules", "allow bus=b\ndefault deny");
        var policy = PolicyLoader.LoadFiles(files, ["/a/20-y.rules", "/b/10-x.rules"]).Policy!;
        Assert.Equal(["allow bus=a", "allow bus=b"], policy.Rules.Select(r => r.Text));
    }

    [Fact]
    public void Lists_the_attributes_rules_look_at()
    {
        var policy = PolicyTestKit.Load("allow attr{numa_node}=0\ndeny attr{label}=x attr{numa_node}=1\ndefault deny");
        Assert.Equal(["label", "numa_node"], policy.AttributeNames);
    }
}
