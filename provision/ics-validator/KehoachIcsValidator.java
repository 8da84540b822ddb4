import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.util.CompatibilityHints;
import net.fortuna.ical4j.validate.ValidationEntry;
import net.fortuna.ical4j.validate.ValidationResult;

/**
 * Parses and validates iCalendar files with ical4j in strict mode (no relaxed unfolding, parsing
 * or validation, no Outlook/Notes compatibility). Validation includes the iTIP rules (RFC 5546)
 * for the calendar's METHOD. Prints one line per file, "OK <file>" or "FAIL <file>\t<problems>",
 * and exits 1 when any file fails: one JVM checks many files.
 */
public final class KehoachIcsValidator {
    public static void main(String[] args) throws Exception {
        CompatibilityHints.setHintEnabled(CompatibilityHints.KEY_RELAXED_UNFOLDING, false);
        CompatibilityHints.setHintEnabled(CompatibilityHints.KEY_RELAXED_PARSING, false);
        CompatibilityHints.setHintEnabled(CompatibilityHints.KEY_RELAXED_VALIDATION, false);
        CompatibilityHints.setHintEnabled(CompatibilityHints.KEY_OUTLOOK_COMPATIBILITY, false);
        CompatibilityHints.setHintEnabled(CompatibilityHints.KEY_NOTES_COMPATIBILITY, false);
        boolean allValid = true;
        for (String file : args) {
            List<String> problems = new ArrayList<>();
            try (InputStream in = Files.newInputStream(Path.of(file))) {
                Calendar calendar = new CalendarBuilder().build(in);
                ValidationResult result = calendar.validate();
                for (ValidationEntry entry : result.getEntries()) {
                    problems.add(entry.getSeverity() + " " + entry.getContext() + ": " + entry.getMessage());
                }
            } catch (Exception e) {
                problems.add("parse: " + e);
            }
            if (problems.isEmpty()) {
                System.out.println("OK " + file);
            } else {
                allValid = false;
                System.out.println("FAIL " + file + "\t" + String.join(" | ", problems).replace('\n', ' '));
            }
        }
        System.exit(allValid ? 0 : 1);
    }
}
