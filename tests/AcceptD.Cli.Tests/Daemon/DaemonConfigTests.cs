using AcceptD.Core.Planning;
using AcceptD.Daemon;

namespace AcceptD.Cli.Tests.Daemon;

/// <summary>acceptd.conf is strict (a bad line stops the daemon); the kernel command line never stops it.</summary>
public class DaemonConfigTests
{
    [Fact]
    public void Unknown_acceptd_words_on_the_kernel_command_line_are_warnings_and_ignored()
    {
        var (config, errors, warnings) = DaemonConfig.Parse(null, "acceptd.conf", "ro acceptd.foo=1 acceptd.bar acceptd.mode=permissive");
        Assert.Empty(errors);
        Assert.Equal(EnforcementMode.Permissive, config!.Mode);
        Assert.Equal([
            "kernel command line: unknown parameter 'acceptd.foo=1' ignored (known: acceptd.mode, acceptd.policy)",
            "kernel command line: unknown parameter 'acceptd.bar' ignored (known: acceptd.mode, acceptd.policy)"], warnings);
    }

    [Theory]
    [InlineData("acceptd.mode=Permissive")]
    [InlineData("acceptd.mode=permissive acceptd.mode=permisive")]
    [InlineData("acceptd.mode")]
    public void A_mode_that_is_not_exactly_enforce_or_permissive_enforces_with_a_warning(string commandLine)
    {
        var (config, errors, warnings) = DaemonConfig.Parse("mode = permissive\n", "acceptd.conf", commandLine);
        Assert.Empty(errors);
        Assert.Equal(EnforcementMode.Enforce, config!.Mode);
        Assert.EndsWith("is not 'enforce' or 'permissive': enforcing (fail closed)", Assert.Single(warnings));
    }

    [Theory]
    [InlineData("workers = 1\n", 1, null)]
    [InlineData("workers = 8\n", 8, null)]
    [InlineData("workers = 0\n", 0, "acceptd.conf:1: workers must be a number from 1 to 8, not '0'")]
    [InlineData("workers = 9\n", 0, "acceptd.conf:1: workers must be a number from 1 to 8, not '9'")]
    [InlineData("workers = -2\n", 0, "acceptd.conf:1: workers must be a number from 1 to 8, not '-2'")]
    public void Workers_is_a_number_from_1_to_8(string file, int workers, string? error)
    {
        var (config, errors, _) = DaemonConfig.Parse(file, "acceptd.conf", "");
        if (error is null) Assert.Equal(workers, config!.Workers);
        else Assert.Equal(error, Assert.Single(errors));
    }

    [Fact]
    public void The_command_line_is_split_as_the_kernel_splits_it()
    {
        Assert.Equal(EnforcementMode.Enforce, DaemonConfig.Parse(null, "c", "foo=\"bar acceptd.mode=permissive baz\"").Config!.Mode);
        Assert.Empty(DaemonConfig.Parse(null, "c", "dyndbg=\"file acceptd.c +p\"").Warnings);
        Assert.Equal(EnforcementMode.Permissive, DaemonConfig.Parse(null, "c", "ro\tacceptd.mode=permissive").Config!.Mode);
        Assert.Equal(EnforcementMode.Permissive, DaemonConfig.Parse(null, "c", "ro\nacceptd.mode=permissive\n").Config!.Mode);
    }

    [Fact]
    public void A_relative_policy_directory_on_the_command_line_is_a_warning_not_a_stop()
    {
        var (config, errors, warnings) = DaemonConfig.Parse(null, "c", "acceptd.policy=etc/x");
        Assert.Empty(errors);
        Assert.Null(config!.ExtraPolicyDirectory);
        Assert.Equal("kernel command line: 'acceptd.policy=etc/x' is not an absolute directory: ignored", Assert.Single(warnings));
    }

    [Fact]
    public void A_policy_directory_that_does_not_exist_is_reported()
    {
        var (config, errors, warnings) = DaemonConfig.Parse("policy-dir = /etc/acceptd/extra\n", "c", "", directoryExists: _ => false);
        Assert.Empty(errors);
        Assert.Equal("/etc/acceptd/extra", config!.ExtraPolicyDirectory);
        Assert.Equal("policy directory /etc/acceptd/extra (acceptd.policy= or policy-dir) does not exist: not read", Assert.Single(warnings));
        Assert.Empty(DaemonConfig.Parse(null, "c", "acceptd.policy=/x", directoryExists: _ => true).Warnings);
    }

    [Fact]
    public void A_duplicate_key_in_the_file_is_an_error_naming_both_lines()
    {
        var (config, errors, _) = DaemonConfig.Parse("mode = enforce\n\nmode = permissive\n", "/etc/acceptd/acceptd.conf", "");
        Assert.Null(config);
        Assert.Equal("/etc/acceptd/acceptd.conf:3: duplicate key 'mode' (first set on line 1)", Assert.Single(errors));
    }

    [Fact]
    public void A_huge_bad_file_gets_its_first_twenty_errors_and_a_count()
    {
        var text = string.Concat(Enumerable.Range(0, 480_000).Select(i => $"junk{i}\n"));
        var (config, errors, _) = DaemonConfig.Parse(text, "c", "");
        Assert.Null(config);
        Assert.Equal(21, errors.Count);
        Assert.Equal("... and 479980 more", errors[^1]);
    }

    [Fact]
    public void Control_characters_in_a_bad_value_are_escaped_in_the_error()
    {
        var (_, errors, warnings) = DaemonConfig.Parse("mode = \u001b[2J\n", "c", "acceptd.x=\u001b]0;");
        Assert.Equal("c:1: mode must be 'enforce' or 'permissive', not '\\x1b[2J'", Assert.Single(errors));
        Assert.Contains("'acceptd.x=\\x1b]0;'", Assert.Single(warnings));
    }
}
