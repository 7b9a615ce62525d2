using System.ComponentModel;
using System.Diagnostics;
using BatchDb.Engine.Errors;

namespace BatchDb.Engine.Backups;

/// <summary>Runs an engine's client program: no shell, the password in its environment, standard error relayed line by line.</summary>
internal static class ClientProcess
{
    private const int ErrorLinesKept = 12;

    /// <summary>Runs <paramref name="tool"/> to its end and returns its standard output; a failure names the program, <paramref name="what"/> and its last words.</summary>
    public static async Task<string> RunAsync(ClientTool tool, string what, Action<string>? onErrorLine, CancellationToken cancellationToken)
    {
        var (process, program) = Start(tool);
        using (process)
        {
            await using var stopping = cancellationToken.Register(() => Kill(process));
            var lastWords = new Queue<string>();
            var errors = Task.Run(async () =>
            {
                while (await process.StandardError.ReadLineAsync(CancellationToken.None).ConfigureAwait(false) is { } line)
                {
                    onErrorLine?.Invoke(line);
                    lock (lastWords)
                    {
                        lastWords.Enqueue(line);
                        if (lastWords.Count > ErrorLinesKept)
                        {
                            lastWords.Dequeue();
                        }
                    }
                }
            }, CancellationToken.None);
            var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            if (tool.StandardInput is { } input)
            {
                await using (var file = new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true))
                {
                    await file.CopyToAsync(process.StandardInput.BaseStream, cancellationToken).ConfigureAwait(false);
                }

                process.StandardInput.Close();
            }

            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            var text = await output.ConfigureAwait(false);
            await errors.ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return process.ExitCode == 0 ? text
                : throw new BatchDbException(ErrorIds.BackupFailed, BatchDbErrorKind.InvalidOperation,
                    $"{program} failed ({what}, exit code {process.ExitCode}): {string.Join(" ", lastWords)}") { Target = what };
        }
    }

    private static (Process Process, string Program) Start(ClientTool tool)
    {
        foreach (var program in tool.Programs)
        {
            var start = new ProcessStartInfo(program)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = tool.StandardInput is not null,
            };
            foreach (var argument in tool.Arguments)
            {
                start.ArgumentList.Add(argument);
            }

            foreach (var (name, value) in tool.Environment)
            {
                start.Environment[name] = value;
            }

            try
            {
                return (Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start."), program);
            }
            catch (Win32Exception)
            {
                // Not on PATH under this name: the next one.
            }
        }

        throw new BatchDbException(ErrorIds.ClientToolNotFound, BatchDbErrorKind.NotSupported,
            $"{string.Join(" or ", tool.Programs)} was not found on PATH; install the {tool.Package} package (apt install {tool.Package}).")
        { Target = tool.Programs[0] };
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It had just ended.
        }
    }
}
