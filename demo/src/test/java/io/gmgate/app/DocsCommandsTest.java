package io.gmgate.app;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Every {@code gmgate …} command written in docs/**.md parses against the real command tree, so an
 * SRE who copies one from a runbook at 3 a.m. does not meet "Unknown option". A mention made of
 * command names only ({@code gmgate mode}) must name a command; anything with arguments must parse
 * with its required options, except that a lone {@code …} says some are left to the reader.
 */
class DocsCommandsTest {

    private static final Path DOCS = Path.of("../docs");
    private static final Pattern INLINE = Pattern.compile("`(?:\\./)?(gmgate [^`]+)`");
    private static final Pattern FENCED_LINE = Pattern.compile("^\\s*(?:\\$ )?(?:\\./)?(gmgate .+)$");
    private static final Pattern INDENTED_CODE = Pattern.compile(" {4,}(?:\\$ )?(?:\\./)?gmgate ");
    private static final String ELIDED = "…";

    /** One command as written, and where. */
    record Mention(Path file, int line, String text) {
        @Override
        public String toString() {
            return DOCS.relativize(file) + ":" + line + ": `" + text + "`";
        }
    }

    static List<Mention> mentions() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(DOCS)) {
            files = s.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        }
        List<Mention> out = new ArrayList<>();
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f);
            boolean fenced = false;
            StringBuilder paragraph = new StringBuilder();
            int paragraphStart = 1;
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i);
                if (l.strip().startsWith("```")) {
                    fenced = !fenced;
                    continue;
                }
                if (fenced || INDENTED_CODE.matcher(l).lookingAt()) {
                    int first = i;
                    while (l.endsWith("\\") && i + 1 < lines.size()) {
                        l = l.substring(0, l.length() - 1) + " " + lines.get(++i).strip();
                    }
                    Matcher m = FENCED_LINE.matcher(l);
                    if (m.matches()) {
                        out.add(new Mention(f, first + 1, m.group(1)));
                    }
                    continue;
                }
                // inline code may wrap across lines within a paragraph
                if (l.isBlank()) {
                    inline(f, paragraphStart, paragraph.toString(), out);
                    paragraph.setLength(0);
                    paragraphStart = i + 2;
                } else {
                    paragraph.append(l).append(' ');
                }
            }
            inline(f, paragraphStart, paragraph.toString(), out);
        }
        return out;
    }

    private static void inline(Path f, int line, String paragraph, List<Mention> out) {
        Matcher m = INLINE.matcher(paragraph);
        while (m.find()) {
            out.add(new Mention(f, line, m.group(1).strip()));
        }
    }

    /** Shell words up to the first redirection, pipe or comment; quotes and {@code <placeholders>} kept together. */
    static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote == '<') {
                w.append(c);
                if (c == '>') {
                    quote = 0;
                }
            } else if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    w.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (c == '<') {
                quote = c; // a <placeholder>, however many words, is one argument
                w.append(c);
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else if ((c == '#' && !inWord) || c == '>' || c == '|' || c == ';' || c == '&') {
                break;
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(w.toString());
        }
        return words;
    }

    @Test
    void theDocsMentionCommands() throws IOException {
        List<Mention> all = mentions();
        assertTrue(all.size() >= 10, "the runbooks are full of gmgate commands; found only " + all);
        assertTrue(all.stream().anyMatch(m -> m.text().startsWith("gmgate mode set BYPASS")), "the bypass switch is documented");
    }

    @Test
    void everyDocumentedCommandParses() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Mention m : mentions()) {
            check(m).ifPresent(why -> broken.add(m + " — " + why));
        }
        if (!broken.isEmpty()) {
            fail(broken.size() + " documented command(s) do not parse against the gmgate CLI:\n  " + String.join("\n  ", broken));
        }
    }

    @Test
    void aMistypedOptionOrCommandIsCaught() {
        Path f = DOCS.resolve("x.md");
        assertTrue(check(new Mention(f, 1, "gmgate mode set NORMAL --scop cluster --reason x --config a.yaml")).isPresent());
        assertTrue(check(new Mention(f, 1, "gmgate mode flip NORMAL")).isPresent());
        assertTrue(check(new Mention(f, 1, "gmgate mode set NORMAL --reason x")).isPresent(), "--config is required");
        assertFalse(check(new Mention(f, 1, "gmgate mode set NORMAL --reason x …")).isPresent(), "… leaves the rest to the reader");
        assertFalse(check(new Mention(f, 1, "gmgate mode set … --reason <why, in words>")).isPresent(), "wherever it stands");
        assertTrue(check(new Mention(f, 1, "gmgate mode set … --reasn x")).isPresent(), "but the options written must exist");
        assertFalse(check(new Mention(f, 1, "gmgate policy sign --serial <N+1> …")).isPresent(), "a <placeholder> has the option's type");
        assertTrue(check(new Mention(f, 1, "gmgate policy sign --serial N+1 …")).isPresent(), "a bare N+1 is not a number");
        assertFalse(check(new Mention(f, 1, "gmgate mode")).isPresent(), "a command named, not invoked");
    }

    private static String sampleOf(Class<?> type) {
        if (type.isEnum()) {
            return type.getEnumConstants()[0].toString();
        }
        boolean number = type.isPrimitive() && type != boolean.class || Number.class.isAssignableFrom(type);
        return number ? "1" : "placeholder";
    }

    /** Empty when {@code m} parses; otherwise why not. */
    static java.util.Optional<String> check(Mention m) {
        List<String> words = words(m.text());
        // a lone … leaves arguments to the reader, wherever it stands — except as the value of an option
        List<String> kept = new ArrayList<>();
        boolean elided = false;
        for (int i = 1; i < words.size(); i++) {
            String w = words.get(i);
            boolean valueOfOption = kept.size() > 0 && kept.get(kept.size() - 1).startsWith("-") && !kept.get(kept.size() - 1).contains("=");
            if ((w.equals(ELIDED) || w.equals("...")) && !valueOfOption) {
                elided = true;
            } else {
                kept.add(w);
            }
        }
        words = kept;
        CommandLine cli = Gmgate.commandLine();
        CommandLine at = cli;
        int names = 0;
        while (names < words.size() && at.getSubcommands().containsKey(words.get(names))) {
            at = at.getSubcommands().get(words.get(names));
            names++;
        }
        if (names == words.size() && !elided) {
            return java.util.Optional.empty(); // "gmgate card status": a command named in prose
        }
        // an option's <placeholder> value stands for a value of the option's type
        words = new ArrayList<>(words);
        for (int i = names + 1; i < words.size(); i++) {
            String w = words.get(i);
            CommandLine.Model.OptionSpec option = at.getCommandSpec().findOption(words.get(i - 1));
            if (w.startsWith("<") && w.endsWith(">") && option != null && option.arity().max() > 0) {
                words.set(i, sampleOf(option.type()));
            }
        }
        if (names < words.size() && !words.get(names).startsWith("-") && !at.getSubcommands().isEmpty()) {
            return java.util.Optional.of("'" + words.get(names) + "' is not a subcommand of '" + at.getCommandSpec().qualifiedName()
                    + "' " + at.getSubcommands().keySet());
        }
        try {
            ParseResult parsed = cli.parseArgs(words.toArray(String[]::new));
            while (parsed.hasSubcommand()) {
                parsed = parsed.subcommand();
            }
            return java.util.Optional.empty();
        } catch (CommandLine.MissingParameterException e) {
            return elided ? java.util.Optional.empty() : java.util.Optional.of(e.getMessage());
        } catch (CommandLine.ParameterException e) {
            return java.util.Optional.of(e.getMessage());
        }
    }
}
