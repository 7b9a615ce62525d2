<#
.SYNOPSIS
    Builds the module's help from docs/: en-US/BatchDb.dll-Help.xml (MAML) and about_BatchDb.help.txt.
.DESCRIPTION
    platyPS is not available everywhere the module is built, so this reads the platyPS-format pages itself.
    Synopsis, description, examples, parameter descriptions, inputs, outputs, notes and links come from the
    pages; syntax and each parameter's type, position, pipeline input and aliases come from the built
    cmdlets, so that help never disagrees with the code. Fails when a page or a parameter description is missing.
.EXAMPLE
    dotnet pwsh -NoProfile -File scripts/Build-Help.ps1 -ModuleFolder out/BatchDb
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleFolder,
    [string] $DocsFolder = (Join-Path $PSScriptRoot '../docs')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$module = Import-Module (Resolve-Path $ModuleFolder).Path -PassThru -Force
$outputFolder = Join-Path $ModuleFolder 'en-US'
New-Item -ItemType Directory -Force -Path $outputFolder | Out-Null
$common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters

# Splits a page into its '## ' sections, and a section into its '### ' subsections, keeping their order.
function Split-Heading([string] $Text, [string] $Marker) {
    $parts = [ordered]@{}
    $current = $null
    $buffer = [System.Text.StringBuilder]::new()
    foreach ($line in $Text -split "`n") {
        $inFence = $false
        if ($line.StartsWith("$Marker ")) {
            if ($null -ne $current) { $parts[$current] = $buffer.ToString().Trim() }
            $current = $line.Substring($Marker.Length + 1).Trim()
            $buffer.Clear() | Out-Null
        } elseif ($null -ne $current) {
            $buffer.AppendLine($line) | Out-Null
        }
    }
    if ($null -ne $current) { $parts[$current] = $buffer.ToString().Trim() }
    $parts
}

# Markdown prose to MAML paragraphs: one per blank-line-separated block, inline code marks dropped.
function ConvertTo-Paragraph([string] $Text) {
    $Text = $Text -replace '(?m)^```\w*\s*$', ''
    foreach ($block in ($Text -split "(\r?\n){2,}")) {
        $trimmed = $block.Trim()
        if ($trimmed) { ($trimmed -replace '`', '') -replace '\[([^\]]+)\]\([^)]+\)', '$1' }
    }
}

function Add-Para([System.Xml.XmlWriter] $Writer, [string] $Text) {
    $paragraphs = @(ConvertTo-Paragraph $Text)
    if ($paragraphs.Count -eq 0) { $paragraphs = @('') }
    foreach ($p in $paragraphs) { $Writer.WriteElementString('maml', 'para', $mamlNs, $p) }
}

function Get-Description($Sections, [string] $Name) {
    if ($Sections.Contains($Name)) { $Sections[$Name] } else { '' }
}

$mamlNs = 'http://schemas.microsoft.com/maml/2004/10'
$commandNs = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$devNs = 'http://schemas.microsoft.com/maml/dev/2004/10'

$settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
$helpFile = Join-Path $outputFolder "$($module.Name).dll-Help.xml"
$writer = [System.Xml.XmlWriter]::Create($helpFile, $settings)
$writer.WriteStartDocument()
$writer.WriteStartElement('helpItems', 'http://msh')
$writer.WriteAttributeString('schema', 'maml')

foreach ($command in ($module.ExportedCmdlets.Values | Sort-Object Name)) {
    $pagePath = Join-Path $DocsFolder "$($command.Name).md"
    if (-not (Test-Path $pagePath)) { throw "docs/$($command.Name).md is missing" }
    $page = (Get-Content $pagePath -Raw) -replace "`r`n", "`n"
    $sections = Split-Heading $page '##'
    foreach ($required in 'SYNOPSIS', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS') {
        if (-not $sections.Contains($required) -or -not $sections[$required]) { throw "docs/$($command.Name).md has no $required section" }
    }
    $parameterDocs = Split-Heading $sections['PARAMETERS'] '###'
    $parameterText = @{}
    foreach ($name in $parameterDocs.Keys) {
        $parameterText[$name.TrimStart('-')] = ($parameterDocs[$name] -split '```yaml')[0].Trim()
    }
    $defaults = @{}
    foreach ($name in $parameterDocs.Keys) {
        if ($parameterDocs[$name] -match '(?m)^Default value:\s*(.*)$') { $defaults[$name.TrimStart('-')] = $Matches[1].Trim() }
    }
    $parameters = $command.Parameters.Values | Where-Object { $_.Name -notin $common }
    foreach ($p in $parameters) {
        if (-not $parameterText[$p.Name]) { throw "docs/$($command.Name).md does not describe -$($p.Name)" }
    }

    $writeParameter = {
        param($parameter, $setMetadata)
        $isSwitch = $parameter.ParameterType -eq [switch]
        $pipeline = @()
        if ($setMetadata.ValueFromPipeline) { $pipeline += 'ByValue' }
        if ($setMetadata.ValueFromPipelineByPropertyName) { $pipeline += 'ByPropertyName' }
        $writer.WriteStartElement('command', 'parameter', $commandNs)
        $writer.WriteAttributeString('required', "$($setMetadata.IsMandatory)".ToLowerInvariant())
        $writer.WriteAttributeString('variableLength', 'true')
        $writer.WriteAttributeString('globbing', 'false')
        $writer.WriteAttributeString('pipelineInput', $(if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }))
        $writer.WriteAttributeString('position', $(if ($setMetadata.Position -ge 0) { "$($setMetadata.Position)" } else { 'named' }))
        $writer.WriteAttributeString('aliases', $(if ($parameter.Aliases.Count) { $parameter.Aliases -join ', ' } else { 'none' }))
        $writer.WriteElementString('maml', 'name', $mamlNs, $parameter.Name)
        $writer.WriteStartElement('maml', 'description', $mamlNs)
        Add-Para $writer $parameterText[$parameter.Name]
        $writer.WriteEndElement()
        $typeName = $parameter.ParameterType.Name
        if (-not $isSwitch) {
            $writer.WriteStartElement('command', 'parameterValue', $commandNs)
            $writer.WriteAttributeString('required', 'true')
            $writer.WriteAttributeString('variableLength', 'false')
            $writer.WriteString($typeName)
            $writer.WriteEndElement()
        }
        $writer.WriteStartElement('dev', 'type', $devNs)
        $writer.WriteElementString('maml', 'name', $mamlNs, $parameter.ParameterType.FullName)
        $writer.WriteEndElement()
        $writer.WriteElementString('dev', 'defaultValue', $devNs, $(if ($defaults[$parameter.Name]) { $defaults[$parameter.Name] } else { 'None' }))
        $writer.WriteEndElement()
    }

    $writer.WriteStartElement('command', 'command', $commandNs)
    $writer.WriteAttributeString('xmlns', 'maml', $null, $mamlNs)
    $writer.WriteAttributeString('xmlns', 'dev', $null, $devNs)
    $writer.WriteStartElement('command', 'details', $commandNs)
    $writer.WriteElementString('command', 'name', $commandNs, $command.Name)
    $writer.WriteElementString('command', 'verb', $commandNs, $command.Verb)
    $writer.WriteElementString('command', 'noun', $commandNs, $command.Noun)
    $writer.WriteStartElement('maml', 'description', $mamlNs)
    Add-Para $writer $sections['SYNOPSIS']
    $writer.WriteEndElement()
    $writer.WriteEndElement()

    $writer.WriteStartElement('maml', 'description', $mamlNs)
    Add-Para $writer $sections['DESCRIPTION']
    $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'syntax', $commandNs)
    foreach ($set in $command.ParameterSets) {
        $writer.WriteStartElement('command', 'syntaxItem', $commandNs)
        $writer.WriteElementString('maml', 'name', $mamlNs, $command.Name)
        $ordered = $set.Parameters | Where-Object { $_.Name -notin $common } |
            Sort-Object @{ Expression = { if ($_.Position -ge 0) { $_.Position } else { [int]::MaxValue } } }, @{ Expression = { -not $_.IsMandatory } }
        foreach ($setParameter in $ordered) {
            & $writeParameter $command.Parameters[$setParameter.Name] $setParameter
        }
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'parameters', $commandNs)
    foreach ($p in ($parameters | Sort-Object Name)) {
        $first = $command.ParameterSets.Parameters | Where-Object Name -eq $p.Name | Select-Object -First 1
        & $writeParameter $p $first
    }
    $writer.WriteEndElement()

    foreach ($kind in @(@('INPUTS', 'inputTypes', 'inputType'), @('OUTPUTS', 'returnValues', 'returnValue'))) {
        $writer.WriteStartElement('command', $kind[1], $commandNs)
        if ($sections.Contains($kind[0])) {
            $types = Split-Heading $sections[$kind[0]] '###'
            foreach ($type in $types.Keys) {
                $writer.WriteStartElement('command', $kind[2], $commandNs)
                $writer.WriteStartElement('dev', 'type', $devNs)
                $writer.WriteElementString('maml', 'name', $mamlNs, $type)
                $writer.WriteEndElement()
                $writer.WriteStartElement('maml', 'description', $mamlNs)
                Add-Para $writer $types[$type]
                $writer.WriteEndElement()
                $writer.WriteEndElement()
            }
        }
        $writer.WriteEndElement()
    }

    if ($sections.Contains('NOTES')) {
        $writer.WriteStartElement('maml', 'alertSet', $mamlNs)
        $writer.WriteStartElement('maml', 'alert', $mamlNs)
        Add-Para $writer $sections['NOTES']
        $writer.WriteEndElement()
        $writer.WriteEndElement()
    }

    $writer.WriteStartElement('command', 'examples', $commandNs)
    $examples = Split-Heading $sections['EXAMPLES'] '###'
    foreach ($title in $examples.Keys) {
        $body = $examples[$title]
        if ($body -notmatch '(?s)```powershell\n(.*?)\n```(.*)$') { throw "docs/$($command.Name).md: '$title' has no powershell code block" }
        $writer.WriteStartElement('command', 'example', $commandNs)
        $writer.WriteElementString('maml', 'title', $mamlNs, "---------- $title ----------")
        $writer.WriteElementString('dev', 'code', $devNs, $Matches[1])
        $writer.WriteStartElement('dev', 'remarks', $devNs)
        Add-Para $writer $Matches[2]
        $writer.WriteEndElement()
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'relatedLinks', $commandNs)
    if ($sections.Contains('RELATED LINKS')) {
        foreach ($link in [regex]::Matches($sections['RELATED LINKS'], '\[([^\]]+)\]\(([^)]*)\)')) {
            $writer.WriteStartElement('maml', 'navigationLink', $mamlNs)
            $writer.WriteElementString('maml', 'linkText', $mamlNs, $link.Groups[1].Value)
            $uri = if ($link.Groups[2].Value -match '^https?://') { $link.Groups[2].Value } else { '' }
            $writer.WriteElementString('maml', 'uri', $mamlNs, $uri)
            $writer.WriteEndElement()
        }
    }
    $writer.WriteEndElement()

    $writer.WriteEndElement()
}

$writer.WriteEndElement()
$writer.WriteEndDocument()
$writer.Dispose()

# about_ topics: plain text, as Get-Help shows them. Markdown headings become the topic's upper-case headings.
foreach ($about in Get-ChildItem (Join-Path $DocsFolder 'about_*.md')) {
    $lines = foreach ($line in (Get-Content $about.FullName)) {
        if ($line -match '^```') { continue }
        if ($line -match '^#{1,2} (.*)$') { $Matches[1].ToUpperInvariant() }
        elseif ($line -match '^#{3,} (.*)$') { "  $($Matches[1])" }
        else { $line }
    }
    Set-Content -Path (Join-Path $outputFolder "$($about.BaseName).help.txt") -Value $lines -Encoding utf8NoBOM
}
Write-Host "Help: $helpFile"
