using System.Reflection;

namespace BatchDb.Module.Tests;

/// <summary>One compiled cmdlet as its attributes declare it.</summary>
internal sealed class CmdletInfo
{
    public CmdletInfo(ModuleSurface surface, Type type)
    {
        Type = type;
        var cmdlet = type.CustomAttributes.Single(a => a.AttributeType == surface.CmdletAttribute);
        Verb = (string)cmdlet.ConstructorArguments[0].Value!;
        Noun = (string)cmdlet.ConstructorArguments[1].Value!;
        SupportsShouldProcess = Named<bool>(cmdlet, "SupportsShouldProcess");
        ConfirmImpact = Named<int>(cmdlet, "ConfirmImpact");
        OutputTypes = type.CustomAttributes
            .Where(a => a.AttributeType == surface.OutputTypeAttribute)
            .SelectMany(a => a.ConstructorArguments)
            .SelectMany(arg => arg.Value is IEnumerable<CustomAttributeTypedArgument> many ? many.Select(m => m.Value) : [arg.Value])
            .OfType<Type>()
            .ToList();
        Parameters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .SelectMany(p => p.CustomAttributes.Where(a => a.AttributeType == surface.ParameterAttribute).Select(a => new ParameterInfo(p, a)))
            .GroupBy(p => p.Name)
            .Select(g => new ParameterInfo(g.First().Property, g.Select(p => p.Attribute).ToList()))
            .ToList();
    }

    public Type Type { get; }

    public string Verb { get; }

    public string Noun { get; }

    public string Name => $"{Verb}-{Noun}";

    public bool SupportsShouldProcess { get; }

    /// <summary>ConfirmImpact as its enum value: 0 None, 1 Low, 2 Medium, 3 High.</summary>
    public int ConfirmImpact { get; }

    public IReadOnlyList<Type> OutputTypes { get; }

    public IReadOnlyList<ParameterInfo> Parameters { get; }

    public ParameterInfo Parameter(string name) => Parameters.Single(p => p.Name == name);

    private static T? Named<T>(CustomAttributeData attribute, string name) =>
        attribute.NamedArguments.Where(a => a.MemberName == name).Select(a => (T?)a.TypedValue.Value).FirstOrDefault();

    internal sealed class ParameterInfo
    {
        public ParameterInfo(PropertyInfo property, CustomAttributeData attribute)
            : this(property, [attribute])
        {
        }

        public ParameterInfo(PropertyInfo property, IReadOnlyList<CustomAttributeData> attributes)
        {
            Property = property;
            Attributes = attributes;
        }

        public PropertyInfo Property { get; }

        public IReadOnlyList<CustomAttributeData> Attributes { get; }

        public CustomAttributeData Attribute => Attributes[0];

        public string Name => Property.Name;

        public bool Mandatory => Attributes.Any(a => Flag(a, "Mandatory"));

        /// <summary>The names given by [Alias(...)], which pipeline binding by property name also matches.</summary>
        public IReadOnlyList<string> Aliases => Property.CustomAttributes
            .Where(a => a.AttributeType.Name == "AliasAttribute")
            .SelectMany(a => a.ConstructorArguments)
            .SelectMany(arg => arg.Value is IEnumerable<CustomAttributeTypedArgument> many ? many.Select(m => (string)m.Value!) : [(string)arg.Value!])
            .ToList();

        public bool FromPipelineByPropertyName => Attributes.Any(a => Flag(a, "ValueFromPipelineByPropertyName"));

        private static bool Flag(CustomAttributeData attribute, string name) =>
            attribute.NamedArguments.Any(a => a.MemberName == name && a.TypedValue.Value is true);
    }
}
