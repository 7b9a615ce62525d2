using System.Text;
using BatchDb.Engine.Errors;

namespace BatchDb.Engine.Csv;

/// <summary>Resolves the encoding names users write (utf-8, shift_jis, sjis, cp932, euc-jp, latin1, …).</summary>
internal static class TextEncodings
{
    public static readonly IReadOnlyList<string> SupportedNames =
        ["utf-8", "shift_jis", "cp932", "euc-jp", "latin1", "windows-1252", "ascii"];

    static TextEncodings() => System.Text.Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Encoding Resolve(string name)
    {
        var normalized = name.Trim().ToLowerInvariant().Replace('_', '-');
        var codePage = normalized switch
        {
            "utf-8" or "utf8" or "utf8mb4" or "utf-8-bom" => 65001,
            "shift-jis" or "sjis" or "cp932" or "windows-31j" or "ms932" => 932,
            "euc-jp" or "eucjp" or "ujis" => 51932,
            "latin1" or "iso-8859-1" => 28591,
            "windows-1252" or "cp1252" => 1252,
            "ascii" or "us-ascii" => 20127,
            _ => 0,
        };
        if (codePage == 0)
        {
            throw new BatchDbException(ErrorIds.EncodingNotSupported, BatchDbErrorKind.InvalidArgument,
                $"The encoding '{name}' is not supported. Use one of: {string.Join(", ", SupportedNames)}.");
        }

        return codePage == 65001 ? new UTF8Encoding(false) : System.Text.Encoding.GetEncoding(codePage);
    }
}
