using System.Text.RegularExpressions;

namespace BatchDb.Module.Tests;

/// <summary>Every cmdlet has a platyPS page that documents each parameter, shows examples and names its output.</summary>
public sealed partial class DocumentationTests
{
    public static TheoryData<string> CmdletNames() => new(ModuleSurface.Load().Cmdlets.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Has_a_page_with_synopsis_description_examples_and_outputs(string name)
    {
        var page = ReadPage(name);
        Assert.Contains($"# {name}", page);
        foreach (var section in new[] { "## SYNOPSIS", "## SYNTAX", "## DESCRIPTION", "## EXAMPLES", "## PARAMETERS", "## OUTPUTS" })
        {
            Assert.Contains(section, page);
        }

        Assert.True(ExamplePattern().Matches(page).Count >= 2, $"{name}.md needs at least two examples");
        Assert.True(page.Split("```powershell").Length - 1 >= 2, $"{name}.md needs at least two PowerShell code blocks");
        foreach (var type in ModuleSurface.Load().Cmdlet(name).OutputTypes.Where(t => t.FullName != "System.Void"))
        {
            Assert.Contains(type.FullName!, page);
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Documents_every_parameter(string name)
    {
        var page = ReadPage(name);
        foreach (var parameter in ModuleSurface.Load().Cmdlet(name).Parameters)
        {
            var heading = $"### -{parameter.Name}";
            Assert.Contains(heading, page);
            var section = page[(page.IndexOf(heading, StringComparison.Ordinal) + heading.Length)..];
            var next = section.IndexOf("\n### ", StringComparison.Ordinal);
            var body = next < 0 ? section : section[..next];
            Assert.Contains("```yaml", body);
            Assert.True(body.Split("```yaml")[0].Trim().Length > 20, $"{name} -{parameter.Name} has no description");
        }
    }

    [Fact]
    public void The_about_topic_exists() =>
        Assert.Contains("about_BatchDb", File.ReadAllText(ModuleSurface.DocsPage("about_BatchDb.md")));

    private static string ReadPage(string name)
    {
        var path = ModuleSurface.DocsPage($"{name}.md");
        Assert.True(File.Exists(path), $"docs/{name}.md is missing");
        return File.ReadAllText(path).Replace("\r\n", "\n");
    }

    [GeneratedRegex(@"^### Example \d+", RegexOptions.Multiline)]
    private static partial Regex ExamplePattern();
}
