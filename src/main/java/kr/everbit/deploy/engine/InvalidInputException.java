package kr.everbit.deploy.engine;

/** Bad input, detected before any process starts or any connection is made (exit code 2). */
public class InvalidInputException extends EverbitException {
    public InvalidInputException(String message) {
        super(message, 2, null);
    }
}
