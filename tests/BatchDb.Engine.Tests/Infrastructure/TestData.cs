using System.Text;

namespace BatchDb.Engine.Tests.Infrastructure;

/// <summary>The seed CSVs shipped with the tests, and temporary CSV files written by a test.</summary>
internal static class TestData
{
    public static string Path(string file) => System.IO.Path.Combine(AppContext.BaseDirectory, "Data", file);

    /// <summary>Writes <paramref name="content"/> to a new temporary file and returns its path.</summary>
    public static string WriteCsv(string content, Encoding? encoding = null, bool bom = false)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"batchdb-test-{Guid.NewGuid():N}.csv");
        using var stream = File.Create(path);
        if (bom)
        {
            stream.Write([0xEF, 0xBB, 0xBF]);
        }

        stream.Write((encoding ?? new UTF8Encoding(false)).GetBytes(content));
        return path;
    }
}
