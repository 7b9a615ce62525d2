using System.Diagnostics;

namespace BatchDb.Bench.Infrastructure;

/// <summary>An outside program (psql, the mariadb client) run to completion and timed from start to exit.</summary>
internal sealed record ExternalClient(string Program, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment)
{
    public TimeSpan Run() => RunWithOutput().Elapsed;

    /// <summary>Runs the program to completion; its time from start to exit and what it wrote to standard output.</summary>
    public (TimeSpan Elapsed, string Output) RunWithOutput()
    {
        var start = new ProcessStartInfo(Program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }

        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Program} could not be started.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        stopwatch.Stop();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Program} exited with {process.ExitCode}: {errors.Result.Trim()} {output.Result.Trim()}");
        }

        return (stopwatch.Elapsed, output.Result);
    }

    /// <summary>The command as a reader of the report could type it (passwords come from the environment).</summary>
    public string Describe() => Program + " " + string.Join(' ', Arguments.Select(Quote));

    private static string Quote(string argument) =>
        argument.Contains('\'', StringComparison.Ordinal)
            ? "\"" + argument.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\""
            : argument.Contains(' ', StringComparison.Ordinal) || argument.Contains('"', StringComparison.Ordinal) ? "'" + argument + "'" : argument;
}
