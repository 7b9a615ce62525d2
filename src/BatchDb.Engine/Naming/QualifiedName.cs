using System.Text.RegularExpressions;
using BatchDb.Engine.Errors;

namespace BatchDb.Engine.Naming;

/// <summary>
/// A table name, optionally qualified by its schema (PostgreSQL) or database (MySQL): <c>T_STOCK</c>,
/// <c>shop.T_STOCK</c>. Each part is checked against a conservative identifier pattern before it is ever
/// put into SQL, so a hostile name is refused instead of quoted into a statement.
/// </summary>
internal sealed partial record QualifiedName
{
    public const int MaxPartLength = 63;

    private QualifiedName(string? schema, string name)
    {
        Schema = schema;
        Name = name;
    }

    /// <summary>The schema or database, or null for the connection's default.</summary>
    public string? Schema { get; }

    public string Name { get; }

    public static QualifiedName Parse(string text, string what = "table")
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('.');
        if (parts.Length > 2)
        {
            throw Invalid(text, what, "use at most one dot, as in schema.table");
        }

        foreach (var part in parts)
        {
            ValidatePart(text, part, what);
        }

        return parts.Length == 2 ? new QualifiedName(parts[0], parts[1]) : new QualifiedName(null, parts[0]);
    }

    /// <summary>Validates a single unqualified identifier such as a partition name.</summary>
    public static string ValidateIdentifier(string text, string what)
    {
        ArgumentNullException.ThrowIfNull(text);
        ValidatePart(text, text, what);
        return text;
    }

    public QualifiedName WithName(string name) => new(Schema, ValidateIdentifier(name, "table"));

    /// <summary>A name derived from another (<c>name_suffix</c>), shortened with a hash when too long for an identifier.</summary>
    public static string Derived(string name, string suffix)
    {
        var derived = $"{name}_{suffix}";
        if (derived.Length <= MaxPartLength)
        {
            return derived;
        }

        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(derived)))[..8].ToLowerInvariant();
        return $"{derived[..(MaxPartLength - 9)]}_{hash}";
    }

    public override string ToString() => Schema is null ? Name : $"{Schema}.{Name}";

    private static void ValidatePart(string whole, string part, string what)
    {
        if (part.Length == 0)
        {
            throw Invalid(whole, what, "a name part is empty");
        }

        if (part.Length > MaxPartLength)
        {
            throw Invalid(whole, what, $"a name part is longer than {MaxPartLength} characters");
        }

        if (!IdentifierPattern().IsMatch(part))
        {
            throw Invalid(whole, what, "only letters, digits, '_' and '$' are allowed, and the name must not start with a digit or '$'");
        }
    }

    private static BatchDbException Invalid(string text, string what, string reason) =>
        new(ErrorIds.InvalidIdentifier, BatchDbErrorKind.InvalidArgument,
            $"The {what} name '{text}' is not accepted: {reason}. Nothing was executed.")
        { Target = text };

    [GeneratedRegex(@"^[\p{L}_][\p{L}\p{N}_$]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();
}
