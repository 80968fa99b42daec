package components

func inputType(fd Field) string {
	if fd.Type == "" {
		return "text"
	}
	return fd.Type
}

func describedBy(f Form, fd Field) string {
	ids := ""
	if fd.Hint != "" {
		ids = ID(fd.Name) + "-hinweis"
	}
	if f.Error(fd.Name) != "" {
		if ids != "" {
			ids += " "
		}
		ids += ID(fd.Name) + "-fehler"
	}
	return ids
}
