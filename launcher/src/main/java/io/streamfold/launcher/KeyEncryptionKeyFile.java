package io.streamfold.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * The embedded platform's key-encryption key: {@code KEY_ENCRYPTION_KEY} when the environment sets
 * it, else the file {@code key-encryption-key} in the data folder, created (owner-only) on the
 * first start. It wraps every data subject's key: delete the data folder and the file goes with the
 * data it protects; copy the folder and copy the key with it.
 */
public final class KeyEncryptionKeyFile {
  static final String NAME = "key-encryption-key";

  private KeyEncryptionKeyFile() {}

  /** The key for {@code dataDir}, created there if the environment has none and it has none. */
  public static String forDataDir(Path dataDir, Map<String, String> env) {
    String given = env.get("KEY_ENCRYPTION_KEY");
    if (given != null && !given.isBlank()) {
      return given;
    }
    Path file = dataDir.resolve(NAME);
    try {
      if (Files.exists(file)) {
        return Files.readString(file).strip();
      }
      Files.createDirectories(dataDir);
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      String encoded = Base64.getEncoder().encodeToString(key);
      Files.writeString(file, encoded + "\n");
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the data folder's own permissions protect it
      }
      return encoded;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read or create " + file, e);
    }
  }
}
