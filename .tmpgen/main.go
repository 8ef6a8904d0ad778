package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/engram-app/engram/gaps/gapstest"
)

func main() {
	n, _ := strconv.Atoi(os.Args[2])
	c := gapstest.Generate(gapstest.Options{Seed: 42, PerKind: n})
	if _, err := gapstest.Write(os.Args[1], c); err != nil {
		panic(err)
	}
	fmt.Println(len(c.Docs), "docs")
}
