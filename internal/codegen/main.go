// Command codegen generates the product packages from internal/apimodel:
// one file per operation (request, response, client method, paginators),
// shared types, enumerations and error codes, plus the shared error codes of
// package alicloud. It is run by `go generate` from the module root and is
// deterministic: the same model always gives the same bytes.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/resourcekit/alicloud/internal/apimodel"
)

func main() {
	root := flag.String("root", ".", "module root to write into")
	flag.Parse()
	if err := run(*root); err != nil {
		fmt.Fprintln(os.Stderr, "codegen:", err)
		os.Exit(1)
	}
}

func run(root string) error {
	common, err := apimodel.LoadCommonErrors()
	if err != nil {
		return err
	}
	if err := emitCommon(root, common); err != nil {
		return err
	}
	for _, pkg := range []string{"resourcesharing", "resourcemanager"} {
		p, err := buildProduct(root, pkg, common)
		if err != nil {
			return err
		}
		dir := filepath.Join(root, pkg)
		old, _ := filepath.Glob(filepath.Join(dir, "api_op_*.go"))
		for _, f := range old {
			if err := os.Remove(f); err != nil {
				return err
			}
		}
		if err := p.emit(root); err != nil {
			return err
		}
	}
	return nil
}
