using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace BatchDb.Bench.Reporting;

/// <summary>The markdown report: the machine and settings first, then one section per scenario.</summary>
internal sealed class MarkdownReport
{
    private readonly StringBuilder _text = new();

    public void Heading(int level, string text) => _text.Append('#', level).Append(' ').AppendLine(text).AppendLine();

    public void Paragraph(string text) => _text.AppendLine(text).AppendLine();

    public void Bullets(IEnumerable<string> items)
    {
        foreach (var item in items)
        {
            _text.Append("- ").AppendLine(item);
        }

        _text.AppendLine();
    }

    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        _text.Append("| ").AppendJoin(" | ", headers).AppendLine(" |");
        _text.Append('|').AppendJoin('|', headers.Select(_ => "---")).AppendLine("|");
        foreach (var row in rows)
        {
            _text.Append("| ").AppendJoin(" | ", row).AppendLine(" |");
        }

        _text.AppendLine();
    }

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, _text.ToString());
    }

    /// <summary>The machine as the operating system reports it.</summary>
    public static IEnumerable<string> Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var os = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=', 2)[1].Trim('"')
            : null;
        var memory = File.Exists("/proc/meminfo")
            ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        yield return $"CPU: {cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}, {Environment.ProcessorCount} logical cores";
        if (memory is not null)
        {
            yield return $"Memory: {long.Parse(memory.Split(' ')[0], CultureInfo.InvariantCulture) / 1048576.0:F1} GiB";
        }

        yield return $"OS: {os ?? RuntimeInformation.OSDescription}; .NET {Environment.Version}";
        yield return "Servers and benchmark on the same machine, over loopback TCP (127.0.0.1)";
    }

    public static string Seconds(double seconds) => seconds.ToString(seconds < 10 ? "0.000" : "0.0", CultureInfo.InvariantCulture) + " s";

    public static string Milliseconds(double milliseconds) => double.IsNaN(milliseconds)
        ? "–"
        : milliseconds.ToString(milliseconds < 100 ? "0.0" : "0", CultureInfo.InvariantCulture) + " ms";

    public static string Ratio(double ratio) => ratio.ToString(ratio < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + "×";

    public static string Bytes(long bytes) => bytes switch
    {
        < 1 << 20 => (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        < 1 << 30 => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        _ => (bytes / 1073741824.0).ToString("0.00", CultureInfo.InvariantCulture) + " GiB",
    };

    public static string Rows(int rows) => rows.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>"met" or "missed", with the figure, for a target the report checks.</summary>
    public static string Verdict(bool met) => met ? "met" : "**missed**";
}
