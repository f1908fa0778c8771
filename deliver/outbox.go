package deliver

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// copyOut copies the files into the recipient's outbox folder, each through a
// temporary name so that a reader on the share never sees half a file; a file
// already there with the same bytes is left alone.
func copyOut(files []string, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		dst := filepath.Join(dir, filepath.Base(f))
		src, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("%w: %v", errPermanent, err)
		}
		if old, err := os.ReadFile(dst); err == nil && bytes.Equal(old, src) {
			continue
		}
		tmp, err := os.CreateTemp(dir, ".fenliu-outbox-*")
		if err != nil {
			return err
		}
		_, err = io.Copy(tmp, bytes.NewReader(src))
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Chmod(tmp.Name(), 0o644)
		}
		if err == nil {
			err = os.Rename(tmp.Name(), dst)
		}
		if err != nil {
			os.Remove(tmp.Name())
			return err
		}
	}
	return nil
}
