using System.Globalization;
using System.Text;

namespace BatchDb.Bench.Infrastructure;

/// <summary>
/// Files of the seed's T_STOCK shape (STOCKHOUSE_ID, ITEM_ID CHAR(10), AMOUNT, VER_ID CHAR(1), UPD_DTTM), every
/// field quoted as in the seed's T_STOCK.csv, written once per size and version;
/// VER_ID tells the copies apart.
/// </summary>
internal static class StockCsv
{
    public static string Write(string directory, IReadOnlyList<int> warehouses, int rowsEach, char version, bool shuffled = false)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"t_stock_w{string.Concat(warehouses)}_{rowsEach}_v{version}{(shuffled ? "_shuffled" : string.Empty)}.csv");
        if (File.Exists(path))
        {
            return path;
        }

        var partial = path + ".partial";
        using (var writer = new StreamWriter(partial, false, new UTF8Encoding(false), 1 << 20))
        {
            foreach (var warehouse in warehouses)
            {
                foreach (var i in Items(rowsEach, shuffled))
                {
                    writer.Write(Line(warehouse, i, version));
                    writer.Write('\n');
                }
            }
        }

        File.Move(partial, path, overwrite: true);
        return path;
    }

    /// <summary>Items 1…<paramref name="count"/> in key order, or in an order shuffled the same way every time.</summary>
    private static int[] Items(int count, bool shuffled)
    {
        var items = Enumerable.Range(1, count).ToArray();
        if (shuffled)
        {
            new Random(20261130).Shuffle(items);
        }

        return items;
    }

    /// <summary>One row: the amount depends on the item and the version, the time on the version.</summary>
    public static string Line(int warehouse, int item, char version) => string.Create(CultureInfo.InvariantCulture,
        $"\"{warehouse}\",\"{item:D10}\",\"{(item * 7 + version) % 1000}\",\"{version}\",\"2026-11-0{version - '0'} 16:33:52\"");

    /// <summary>The fields of a line written by <see cref="Line"/> (no field holds a comma or a quote).</summary>
    public static string[] Fields(string line)
    {
        var fields = line.Split(',');
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = fields[i].Trim('"');
        }

        return fields;
    }
}
