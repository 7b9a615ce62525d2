using System.Text.RegularExpressions;

namespace BatchDb.Engine.Dialects.MySql;

/// <summary>What the server supports, read from its version string (MariaDB and MySQL differ).</summary>
internal sealed partial record MySqlServerFeatures(bool IsMariaDb, Version Version)
{
    public static MySqlServerFeatures FromVersionString(string version)
    {
        var match = VersionPattern().Match(version);
        var parsed = match.Success ? new Version(int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value), int.Parse(match.Groups[3].Value)) : new Version(0, 0);
        return new MySqlServerFeatures(version.Contains("MariaDB", StringComparison.OrdinalIgnoreCase), parsed);
    }

    /// <summary>ALTER TABLE t WAIT n …: a per-statement lock wait (MariaDB 10.3+).</summary>
    public bool SupportsAlterWait => IsMariaDb && Version >= new Version(10, 3);

    /// <summary>EXCHANGE PARTITION … WITHOUT VALIDATION: MySQL 5.7.5+, MariaDB 11.4+.</summary>
    public bool SupportsExchangeWithoutValidation =>
        IsMariaDb ? Version >= new Version(11, 4) : Version >= new Version(5, 7, 5);

    [GeneratedRegex(@"^(\d+)\.(\d+)\.(\d+)")]
    private static partial Regex VersionPattern();
}
