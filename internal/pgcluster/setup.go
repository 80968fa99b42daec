package pgcluster

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// ErrNoBinaries reports that no PostgreSQL server installation was found, neither
// on PATH nor under /usr/lib/postgresql. Callers (the test harness) use it to tell
// a machine without PostgreSQL from a broken setup.
var ErrNoBinaries = errors.New("pgcluster: PostgreSQL binaries (postgres, initdb) not found on PATH or in /usr/lib/postgresql/*/bin")

// binDir finds the directory holding postgres and initdb. Both must come from
// the same installation, so PATH entries are resolved through their symlinks
// (here /usr/local/bin/postgres points into /usr/lib/postgresql/15/bin).
func binDir() (string, error) {
	for _, name := range []string{"postgres", "initdb"} {
		p, err := exec.LookPath(name)
		if err != nil {
			continue
		}
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		if dir := filepath.Dir(p); hasServer(dir) {
			return dir, nil
		}
	}
	// Debian installs the server outside PATH; prefer the highest major version.
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int { return majorVersion(b) - majorVersion(a) })
	for _, dir := range dirs {
		if hasServer(dir) {
			return dir, nil
		}
	}
	return "", ErrNoBinaries
}

func hasServer(dir string) bool {
	for _, name := range []string{"postgres", "initdb"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
			return false
		}
	}
	return true
}

// majorVersion extracts 15 from /usr/lib/postgresql/15/bin; unparsable names sort last.
func majorVersion(binDir string) int {
	n, err := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	if err != nil {
		return -1
	}
	return n
}

// account is the system user the server runs as. PostgreSQL refuses to run as
// root, so as root we switch to the postgres user; otherwise we run as ourselves
// and cred stays nil.
type account struct {
	name     string
	uid, gid int
	groups   []int
	cred     *syscall.Credential
}

func lookupAccount() (*account, error) {
	if os.Geteuid() != 0 {
		return &account{name: "current", uid: os.Geteuid(), gid: os.Getegid()}, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("pgcluster: running as root, but the postgres system user is missing: %w", err)
	}
	a := &account{name: u.Username}
	if a.uid, err = strconv.Atoi(u.Uid); err != nil {
		return nil, fmt.Errorf("pgcluster: uid of postgres: %w", err)
	}
	if a.gid, err = strconv.Atoi(u.Gid); err != nil {
		return nil, fmt.Errorf("pgcluster: gid of postgres: %w", err)
	}
	a.groups = []int{a.gid}
	if ids, err := u.GroupIds(); err == nil {
		for _, id := range ids {
			if g, err := strconv.Atoi(id); err == nil && g != a.gid {
				a.groups = append(a.groups, g)
			}
		}
	}
	a.cred = &syscall.Credential{Uid: uint32(a.uid), Gid: uint32(a.gid)}
	for _, g := range a.groups[1:] {
		a.cred.Groups = append(a.cred.Groups, uint32(g))
	}
	return a, nil
}

// switched reports whether the server runs as a different user than we do, which
// is when ownership and permissions need our attention.
func (a *account) switched() bool { return a.cred != nil }

// chown hands a directory we created to the server's user.
func (a *account) chown(dir string) error {
	if !a.switched() {
		return nil
	}
	if err := os.Chown(dir, a.uid, a.gid); err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	return nil
}

// may reports whether the account has all permission bits in perm (r=4, w=2,
// x=1) on a file, following the kernel's owner/group/other rule.
func (a *account) may(st *syscall.Stat_t, perm uint32) bool {
	switch {
	case int(st.Uid) == a.uid:
		return st.Mode>>6&perm == perm
	case slices.Contains(a.groups, int(st.Gid)):
		return st.Mode>>3&perm == perm
	default:
		return st.Mode&perm == perm
	}
}

// canEnter checks that the server's user can traverse dir and all its parents.
// Without this, initdb or postgres fails with a bare "Permission denied" that
// does not say which directory is at fault.
func (a *account) canEnter(dir string) error {
	if !a.switched() {
		return nil
	}
	for d := dir; ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return fmt.Errorf("pgcluster: %w", err)
		}
		st := fi.Sys().(*syscall.Stat_t)
		if !a.may(st, 1) {
			return fmt.Errorf("pgcluster: the %s user cannot enter directory %s (mode %v, owner %d:%d); make it traversable (chmod o+x) or choose another location",
				a.name, d, fi.Mode().Perm(), st.Uid, st.Gid)
		}
		if d == filepath.Dir(d) {
			return nil
		}
	}
}

// mkdirParents creates the missing parents of path as 0755 (regardless of the
// umask) so the server's user can pass through them.
func mkdirParents(path string) error {
	var missing []string
	for d := filepath.Dir(path); ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("pgcluster: %w", err)
		}
		missing = append(missing, d)
		if d == filepath.Dir(d) {
			break
		}
	}
	for _, d := range slices.Backward(missing) {
		if err := os.Mkdir(d, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("pgcluster: %w", err)
		}
		if err := os.Chmod(d, 0o755); err != nil {
			return fmt.Errorf("pgcluster: %w", err)
		}
	}
	return nil
}

// prepareDataDir makes DataDir exist, empty or not, owned by the server's user
// and reachable by it. initdb insists on 0700 (or 0750) for the directory.
func prepareDataDir(dir string, a *account) error {
	if err := mkdirParents(dir); err != nil {
		return err
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("pgcluster: %w", err)
	}
	if err := a.chown(dir); err != nil {
		return err
	}
	return a.canEnter(filepath.Dir(dir))
}

// prepareSockDir creates the socket directory if needed. Only a directory we
// create (or own: the fallback from New) is chowned: the caller may have
// pointed us at a shared one, and chowning e.g. /tmp would be a disaster; an
// existing one must already be writable by the server's user.
func prepareSockDir(dir string, a *account, ours bool) error {
	if err := mkdirParents(dir); err != nil {
		return err
	}
	switch err := os.Mkdir(dir, 0o755); {
	case err == nil || ours && errors.Is(err, fs.ErrExist):
		if err := os.Chmod(dir, 0o755); err != nil {
			return fmt.Errorf("pgcluster: %w", err)
		}
		if err := a.chown(dir); err != nil {
			return err
		}
	case !errors.Is(err, fs.ErrExist):
		return fmt.Errorf("pgcluster: %w", err)
	}
	if err := a.canEnter(dir); err != nil {
		return err
	}
	if a.switched() {
		fi, err := os.Stat(dir)
		if err != nil {
			return fmt.Errorf("pgcluster: %w", err)
		}
		if !a.may(fi.Sys().(*syscall.Stat_t), 3) {
			return fmt.Errorf("pgcluster: the %s user cannot create its socket in %s (mode %v); chown the directory to it or choose another one",
				a.name, dir, fi.Mode().Perm())
		}
	}
	return nil
}

// removeStaleLock deletes a PostgreSQL lock file (postmaster.pid or the
// socket's .lock) whose pid now belongs to some other, unrelated process.
// postgres itself ignores a lock whose pid is gone, but after a SIGKILL in a
// container the pid is often reused, and postgres then refuses to start
// ("lock file already exists"). A pid that is a live postgres is left alone.
func removeStaleLock(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil // no lock, or unreadable: postgres will report it
	}
	first, _, _ := strings.Cut(string(data), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(first))
	if err != nil || pid <= 0 {
		return nil
	}
	comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	if err != nil || strings.TrimSpace(string(comm)) == "postgres" {
		return nil // gone (postgres copes) or a running server (postgres must refuse)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("pgcluster: removing stale lock file: %w", err)
	}
	return nil
}
