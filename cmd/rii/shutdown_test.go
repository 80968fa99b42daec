package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"rii/internal/pgtest"
)

// TestSIGTERMWithSlowRequestsInFlight sends SIGTERM to a real `rii serve`
// while slow requests run: clients on a slow line, uploading a sign-in form
// byte by byte and reading the open-data export slowly. Every request must
// complete with its whole answer, no connection is reset, and the process
// exits 0. The slowness is the clients' own, so no test-only route or delay
// is needed in the server.
func TestSIGTERMWithSlowRequestsInFlight(t *testing.T) {
	t.Parallel()
	bin := binary(t)
	dbURL := pgtest.NewDB(t)
	seed := exec.Command(bin, "seed", "-synthetic", "3000")
	seed.Env = append(os.Environ(), "DATABASE_URL="+dbURL)
	if out, err := seed.CombinedOutput(); err != nil {
		t.Fatalf("seed: %v\n%s", err, out)
	}
	port := freePort(t)
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "RII_LISTEN=127.0.0.1:"+port, "RII_SMTP_URL=",
		"RII_SECRET_KEYS="+testSecretKeys)
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	addr := "127.0.0.1:" + port
	waitReady(t, "http://"+addr, &out)

	const uploads, downloads = 3, 2
	var inFlight, done sync.WaitGroup
	errs := make(chan error, uploads+downloads)
	for range uploads {
		inFlight.Add(1)
		done.Go(func() { errs <- slowUpload(addr, inFlight.Done) })
	}
	for range downloads {
		inFlight.Add(1)
		done.Go(func() { errs <- slowDownload(addr, inFlight.Done) })
	}
	inFlight.Wait()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("slow request: %v", err)
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v; output:\n%s", err, out.String())
	}
	if _, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		t.Error("the port still accepts connections after the exit")
	}
}

// slowUpload posts a sign-in form a few bytes at a time over about two
// seconds; started is called once the headers and the first bytes are out.
func slowUpload(addr string, started func()) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		started()
		return err
	}
	defer conn.Close()
	body := "email=langsam%40beispiel.example&passwort=" + strings.Repeat("x", 40)
	fmt.Fprintf(conn, "POST /anmelden HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\n"+
		"Content-Length: %d\r\nConnection: close\r\n\r\n", addr, len(body))
	for i := 0; i < len(body); i += 4 {
		if _, err := conn.Write([]byte(body[i:min(i+4, len(body))])); err != nil {
			if i == 0 {
				started()
			}
			return fmt.Errorf("upload cut off: %w", err)
		}
		if i == 0 {
			started()
		}
		time.Sleep(100 * time.Millisecond)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return fmt.Errorf("upload: no answer: %w", err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusUnprocessableEntity || !bytes.Contains(b, []byte("</html>")) {
		return fmt.Errorf("upload: status %d, %d bytes, %v; want the whole 422 sign-in page", res.StatusCode, len(b), err)
	}
	return nil
}

// slowDownload reads the open-data CSV (thousands of rows) in small pieces
// with pauses, so the server is still writing it when SIGTERM comes.
func slowDownload(addr string, started func()) error {
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	res, err := (&http.Client{Transport: tr}).Get("http://" + addr + "/initiativen.csv")
	if err != nil {
		started()
		return err
	}
	defer res.Body.Close()
	buf := make([]byte, 16<<10)
	n, rows := 0, 0
	for first := true; ; first = false {
		k, err := res.Body.Read(buf)
		n += k
		rows += bytes.Count(buf[:k], []byte("\n"))
		if first {
			started()
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("download cut off after %d bytes: %w", n, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if res.StatusCode != http.StatusOK || rows < 3000 {
		return fmt.Errorf("download: status %d, %d rows; want all 3000 and more", res.StatusCode, rows)
	}
	return nil
}

// waitReady waits until the portal at base answers /readyz with 200.
func waitReady(t *testing.T, base string, out *syncBuffer) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		res, err := http.Get(base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("portal not ready within 20 s; output:\n%s", out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
