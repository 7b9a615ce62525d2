using System.Text.RegularExpressions;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Naming;

namespace BatchDb.Engine.Dialects.MySql;

/// <summary>
/// Index after load: InnoDB keeps its rows in primary key order, so the primary key stays (building it afterwards
/// would copy the table); the secondary keys are dropped before the load and added after it in one ALTER TABLE,
/// which builds each by sorting. DDL is not transactional here, so the keys added afterwards are the ones of the
/// table the work table was made from, whichever the work table lacks: that also mends a work table whose earlier
/// load was killed before its keys were back.
/// </summary>
internal sealed partial class MySqlSession
{
    public async Task<long> LoadThenIndexAsync(QualifiedName table, QualifiedName workTable, bool indexAfter, Func<CancellationToken, Task<long>> load, Action indexing,
        CancellationToken cancellationToken)
    {
        if (indexAfter)
        {
            var keys = SecondaryKeys(await ShowCreateTableAsync(workTable, cancellationToken).ConfigureAwait(false));
            if (keys.Count > 0)
            {
                await ExecuteAsync($"ALTER TABLE {Quote(workTable)} {string.Join(", ", keys.Select(k => $"DROP INDEX {Quote(k.Name)}"))}", cancellationToken).ConfigureAwait(false);
            }
        }

        long rows;
        try
        {
            rows = await load(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            try
            {
                await AddMissingKeysAsync(table, workTable, () => { }, CancellationToken.None).ConfigureAwait(false);
            }
            catch (BatchDbException)
            {
                // The load's own error is the one to report (on a lost connection this fails too); the next import adds the keys.
            }

            throw;
        }

        await AddMissingKeysAsync(table, workTable, indexing, cancellationToken).ConfigureAwait(false);
        return rows;
    }

    private async Task AddMissingKeysAsync(QualifiedName table, QualifiedName workTable, Action indexing, CancellationToken cancellationToken)
    {
        var present = SecondaryKeys(await ShowCreateTableAsync(workTable, cancellationToken).ConfigureAwait(false)).Select(k => k.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = SecondaryKeys(await ShowCreateTableAsync(table, cancellationToken).ConfigureAwait(false)).Where(k => !present.Contains(k.Name)).ToList();
        if (missing.Count > 0)
        {
            indexing();
            await ExecuteAsync($"ALTER TABLE {Quote(workTable)} {string.Join(", ", missing.Select(k => "ADD " + k.Definition))}", cancellationToken, NoTimeout)
                .ConfigureAwait(false);
        }
    }

    private async Task<string> ShowCreateTableAsync(QualifiedName table, CancellationToken cancellationToken) =>
        (string)(await QueryAsync($"SHOW CREATE TABLE {Quote(table)}", cancellationToken).ConfigureAwait(false))[0][1]!;

    /// <summary>The plain and unique secondary keys of a SHOW CREATE TABLE text, each with its definition as an ALTER TABLE … ADD takes it.</summary>
    private static List<(string Name, string Definition)> SecondaryKeys(string createTable) =>
        [.. SecondaryKey().Matches(createTable).Select(m => (m.Groups["name"].Value.Replace("``", "`", StringComparison.Ordinal), m.Groups["definition"].Value))];

    [GeneratedRegex(@"^\s*(?<definition>(?:UNIQUE )?KEY `(?<name>(?:[^`]|``)+)` \(.*?),?\r?$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex SecondaryKey();
}
