package dev.openshell.cli.docs;

import dev.openshell.cli.CliRunner;
import dev.openshell.cli.OpenShellCli;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/**
 * {@code docs/cli.md}: every command's help as picocli renders it from the command classes, under
 * a table of contents, so the reference is the code's own description and cannot drift from it.
 */
final class CliReference {

    /** Help is laid out for this width, whatever the terminal the build runs in. */
    static final int WIDTH = 100;

    private CliReference() {}

    static String render() {
        CommandLine root = OpenShellCli.commandLine(CliRunner.env(Map.of(), "", e -> e));
        List<CommandLine> commands = new ArrayList<>();
        collect(root, commands, Collections.newSetFromMap(new IdentityHashMap<>()));

        StringBuilder md = new StringBuilder();
        md.append("# `openshell` command reference\n\n");
        md.append("Generated from the command definitions by the build (`CliReferenceTest` writes\n"
                + "`openshell-cli/target/cli.md` and fails while this file differs from it); do not edit by hand.\n"
                + "`openshell COMMAND --help` prints the same text.\n\n");
        for (CommandLine c : commands) {
            String name = c.getCommandSpec().qualifiedName();
            String[] description = c.getCommandSpec().usageMessage().description();
            md.append("- [`")
                    .append(name)
                    .append("`](#")
                    .append(anchor(name))
                    .append(")")
                    .append(description.length == 0 ? "" : ": " + firstSentence(description[0]))
                    .append('\n');
        }
        for (CommandLine c : commands) {
            md.append("\n## ").append(c.getCommandSpec().qualifiedName()).append("\n\n```text\n");
            c.setUsageHelpWidth(WIDTH);
            c.setUsageHelpAutoWidth(false);
            String usage = c.getUsageMessage(Ansi.OFF);
            for (String line : usage.split("\n", -1)) {
                md.append(line.stripTrailing()).append('\n');
            }
            while (md.toString().endsWith("\n\n")) {
                md.setLength(md.length() - 1);
            }
            md.append("```\n");
        }
        return md.toString();
    }

    private static void collect(CommandLine c, List<CommandLine> out, Set<CommandLine> seen) {
        if (!seen.add(c) || c.getCommandSpec().usageMessage().hidden()) {
            return;
        }
        out.add(c);
        for (CommandLine sub : c.getSubcommands().values()) {
            collect(sub, out, seen);
        }
    }

    private static String firstSentence(String text) {
        String line = text.split("\n", 2)[0];
        int stop = line.indexOf(". ");
        return stop < 0 ? line : line.substring(0, stop + 1);
    }

    /** The anchor GitHub gives a heading: lower case, spaces to dashes, punctuation dropped. */
    private static String anchor(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 -]", "").replace(' ', '-');
    }
}
