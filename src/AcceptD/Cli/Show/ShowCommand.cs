using System.CommandLine;
using AcceptD.Core.Text;

namespace AcceptD.Cli.Show;

/// <summary>`acceptd show DEVICE`: every property of one device, "Name: value" per line.</summary>
public static class ShowCommand
{
    public static Command Create()
    {
        var device = new Argument<string>("device") { Description = "Key (pci/0000:00:03.0), bus name, sysfs path or object path." };
        return DaemonClient.Verb("show", "Show everything the daemon knows about one device.", (parse, client, output) =>
        {
            var properties = client.GetDevice(parse.GetValue(device)!);
            var width = properties.Max(p => p.Name.Length) + 1;
            foreach (var (name, value) in properties) output.WriteLine($"{(name + ":").PadRight(width)} {Printable.Escape(value)}");
            return CliErrors.Ok;
        }, device);
    }
}
