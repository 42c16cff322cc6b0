package org.glovebox.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the folder of public validation data sets ({@code shared/datasets}, kept outside the project and never copied
 * into it). Looks at the system property {@code glovebox.datasets} first, then walks up from the working directory
 * looking for {@code shared/datasets} or {@code ../shared/datasets}.
 */
public final class SharedDatasets {

    /** System property that names the folder explicitly. */
    public static final String PROPERTY = "glovebox.datasets";

    private SharedDatasets() {
    }

    /** The folder, if it can be found. */
    public static Optional<Path> locate() {
        String explicit = System.getProperty(PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit).toAbsolutePath().normalize();
            return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (Path candidate : new Path[] {dir.resolve("shared/datasets"), dir.resolve("../shared/datasets")}) {
                if (Files.isDirectory(candidate)) {
                    return Optional.of(candidate.normalize());
                }
            }
        }
        return Optional.empty();
    }

    /** A file in the folder, if the folder and the file exist. */
    public static Optional<Path> file(String name) {
        return locate().map(d -> d.resolve(name)).filter(Files::isRegularFile);
    }
}
